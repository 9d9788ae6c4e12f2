# size experiment patch (benches/size/experiment.sh): run in the scratch copy's root.
p='src/ui/app.rs'; s=open(p).read()
old="Tab::Reference => html! { <Reference lang={lang} on_try={link.callback(Msg::Insert)} /> },"
assert old in s
s=s.replace(old,"Tab::Reference => html! {},")
open(p,'w').write(s)
