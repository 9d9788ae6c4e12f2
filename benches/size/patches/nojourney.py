# size experiment patch (benches/size/experiment.sh): run in the scratch copy's root.
p='src/ui/app.rs'; s=open(p).read()
for start in ["<JourneyView embedded","<MailboxView embedded"]:
    a=s.index(start); b=s.index("/>",a)+2; s=s[:a]+s[b:]
open(p,'w').write(s)
