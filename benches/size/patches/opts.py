# size experiment patch (benches/size/experiment.sh): run in the scratch copy's root.
p='Cargo.toml'; s=open(p).read()
assert 'opt-level = "z"' in s
s=s.replace('opt-level = "z"','opt-level = "s"',1)
open(p,'w').write(s)
