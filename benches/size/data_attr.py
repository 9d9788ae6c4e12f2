"""The data section by source: each string literal of src/, each lesson and scenario file,
looked up in the data segments, longest first, each byte to one owner; raw and marginal gzip.
python3 data_attr.py FILE.wasm REPO_ROOT"""
import os
import sys,re,os,gzip,json,glob
sys.path.insert(0,os.path.dirname(os.path.abspath(__file__)))
from sections import sections,leb
wasm,root=sys.argv[1],sys.argv[2]
b,s=sections(wasm)
off,n=[(o,l) for sid,nm,o,l in s if sid==11][0]
# data segments
c,i=leb(b,off);segs=[]
for _ in range(c):
    f,i=leb(b,i)
    if f==0:
        assert b[i]==0x41; v,i=leb(b,i+1); i+=1  # i32.const, end
    elif f==2: _,i=leb(b,i); v,i=leb(b,i+1);i+=1
    l,i=leb(b,i);segs.append(b[i:i+l]);i+=l
data=b''.join(segs)
print('data bytes',len(data),'segments',len(segs))
cov=bytearray(len(data))  # 0 = unattributed, else owner index
owners=['?']
def mark(owner,needle,minlen=6):
    if len(needle)<minlen: return 0
    if owner not in owners: owners.append(owner)
    k=owners.index(owner);start=0;hit=0
    while True:
        p=data.find(needle,start)
        if p<0: break
        if not any(cov[p:p+len(needle)]):
            cov[p:p+len(needle)]=bytes([k%256 or 1])*len(needle) if False else bytes([0])*0 or cov[p:p+len(needle)]
            for q in range(p,p+len(needle)): cov[q]=k
            hit+=len(needle)
        start=p+1
    return hit
# whole files first (lessons, scenarios)
for f in sorted(glob.glob(root+'/lessons/*/*.md')): mark('lessons/'+f.split('/')[-2], open(f,'rb').read())
for f in sorted(glob.glob(root+'/scenarios/*.txt')): mark('scenarios', open(f,'rb').read())
lit=re.compile(r'(?<![A-Za-z0-9_\'])(b?)(r(#*)"(.*?)"\3|"((?:[^"\\]|\\.)*)")',re.S)
def unesc(t):
    t=re.sub(r'\\\n\s*','',t)
    out=[];i=0
    while i<len(t):
        ch=t[i]
        if ch=='\\' and i+1<len(t):
            e=t[i+1]
            m={'n':'\n','t':'\t','r':'\r','0':'\0','\\':'\\','"':'"',"'":"'"}
            if e in m: out.append(m[e]);i+=2;continue
            if e=='x': out.append(chr(int(t[i+2:i+4],16)));i+=4;continue
            if e=='u':
                j=t.index('}',i);out.append(chr(int(t[i+3:j],16)));i=j+1;continue
        out.append(ch);i+=1
    return ''.join(out)
files=[]
for dp,dn,fn in os.walk(root+'/src'):
    for f in fn:
        if f.endswith('.rs') and 'tests' not in f: files.append(os.path.join(dp,f))
# bigger literals first for stability: collect all
allp=[]
for f in files:
    src=open(f,encoding='utf8').read()
    # drop #[cfg(test)] mod tests { ... } at end roughly
    k=src.find('#[cfg(test)]\nmod tests')
    if k>0: src=src[:k]
    rel=os.path.relpath(f,root+'/src')
    for m in lit.finditer(src):
        try: t=m.group(4) if m.group(2).startswith('r') else unesc(m.group(5) or '')
        except Exception: continue
        for piece in re.split(r'(?<!\{)\{[^{}]*\}(?!\})',t):
            piece=piece.replace('{{','{').replace('}}','}')
            allp.append((len(piece.encode()),rel,piece.encode()))
allp.sort(key=lambda x:-x[0])
for l,rel,p in allp: mark(rel,p)
res={}
for k,o in enumerate(owners):
    pass
import collections
cnt=collections.Counter(cov)
byowner=collections.defaultdict(bytearray)
for q,k in enumerate(cov): byowner[owners[k]].append(data[q])
rows=[]
for o,bs in byowner.items():
    rows.append((len(bs),o))
rows.sort(reverse=True)
# marginal gzip: gzip(data) - gzip(data without owner bytes)
full=len(gzip.compress(data,9))
print('data gz',full)
for l,o in rows[:45]:
    k=owners.index(o)
    rest=bytes(data[q] for q in range(len(data)) if cov[q]!=k)
    print(f'{l:8d} {full-len(gzip.compress(rest,9)):7d}  {o}')
