"""Every function body of a wasm file built with names kept (wasm-opt -g), as JSON rows
[index, name, size, offset, length].  python3 funcs.py NAMED.wasm OUT.json"""
import os
import sys,json
sys.path.insert(0,os.path.dirname(os.path.abspath(__file__)))
from sections import sections,leb
b,s=sections(sys.argv[1])
sec={ (sid,name):(off,n) for sid,name,off,n in s}
# count imported funcs
off,n=sec[(2,'')]
cnt,i=leb(b,off);nimp=0
for _ in range(cnt):
    l,i=leb(b,i);i+=l;l,i=leb(b,i);i+=l;k=b[i];i+=1
    if k==0: _,i=leb(b,i);nimp+=1
    elif k==1: i+=1;f,i=leb(b,i);_,i=leb(b,i);i=leb(b,i)[1] if f&1 else i
    elif k==2: f,i=leb(b,i);_,i=leb(b,i);i=leb(b,i)[1] if f&1 else i
    elif k==3: i+=2
# names
names={}
off,n=sec[(0,'name')]
l,i=leb(b,off);i+=l;end=off+n
while i<end:
    sub=b[i];i+=1;sz,i=leb(b,i);j=i
    if sub==1:
        c,j=leb(b,j)
        for _ in range(c):
            idx,j=leb(b,j);l,j=leb(b,j);names[idx]=b[j:j+l].decode('utf8','replace');j+=l
    i+=sz
off,n=sec[(10,'')]
c,i=leb(b,off);out=[]
for k in range(c):
    sz,j=leb(b,i);out.append((nimp+k,names.get(nimp+k,'?'),j-i+sz,i,j-i+sz));i=j+sz
json.dump(out,open(sys.argv[2],'w'))
print(nimp,c,len(names))
