# size experiment patch (benches/size/experiment.sh): run in the scratch copy's root.
p='src/imap/session.rs'; s=open(p).read()
for sig in ["pub fn feed(&mut self, input: &[u8], store: &mut MailStore) -> Output {","pub fn poll(&mut self, store: &mut MailStore) -> Output {"]:
    assert sig in s
    s=s.replace(sig,sig+"\n        if true { let _ = store; return Output::default(); }")
open(p,'w').write(s)
