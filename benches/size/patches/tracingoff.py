# size experiment patch (benches/size/experiment.sh): run in the scratch copy's root.
p='Cargo.toml'; s=open(p).read()
s=s.replace('yew = { version = "0.23", features = ["csr"] }','yew = { version = "0.23", features = ["csr"] }\ntracing = { version = "0.1", features = ["max_level_off"] }',1)
open(p,'w').write(s)
