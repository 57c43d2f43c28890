#!/usr/bin/env python3
# tests/reference/torch_wgan_gp_toy.py: an independent PyTorch WGAN-GP on 8 Gaussians at
# toy_train's quick sizes, a cross-check of the C44 finding (docs/CLAIMS.md, C44): is
# WGAN-GP's mode collapse at 2000 iterations the budget's or our trainer's? Same data as
# gan_toy.py (centres of radius 2 / 1.414, SD 0.02 / 1.414), 2-128-128-128-2 ReLU nets
# (z in R^2), batch 256, 5 critic steps, lambda = 10, Adam(1e-4, 0.5, 0.9) for both, PyTorch
# default init and its own random streams (so not bit-comparable to ganrepro, only
# statistically). Every 500 generator iterations it prints C45's metric on 2500 samples:
# modes with a high-quality sample (within 3 SDs of the nearest centre) and the HQ fraction.
# Run by hand (a minute or two on one core), never by the tests:
#   /usr/bin/python3 tests/reference/torch_wgan_gp_toy.py SEED ITERS WIDTH LAMBDA [he]
# With "he", every Linear gets gan_toy.py's initialization='he' (tflib: weights uniform
# with SD sqrt(2 / fan_in), biases 0), the gan_toy preset's init; without, PyTorch's default.
import torch, numpy as np, sys
torch.set_num_threads(1)
seed=int(sys.argv[1]); iters=int(sys.argv[2]); dim=int(sys.argv[3]); lam=float(sys.argv[4])
torch.manual_seed(seed); rng=np.random.default_rng(seed)
c=np.array([(1,0),(-1,0),(0,1),(0,-1),(1/np.sqrt(2),1/np.sqrt(2)),(1/np.sqrt(2),-1/np.sqrt(2)),(-1/np.sqrt(2),1/np.sqrt(2)),(-1/np.sqrt(2),-1/np.sqrt(2))])*2/1.414
sd=0.02/1.414
def data(n):
    k=rng.integers(0,8,n); return torch.tensor(c[k]+rng.normal(0,sd,(n,2)),dtype=torch.float32)
def mlp(o): return torch.nn.Sequential(torch.nn.Linear(2,dim),torch.nn.ReLU(),torch.nn.Linear(dim,dim),torch.nn.ReLU(),torch.nn.Linear(dim,dim),torch.nn.ReLU(),torch.nn.Linear(dim,o))
G=mlp(2); D=mlp(1)
if len(sys.argv) > 5 and sys.argv[5] == "he":
    for m in list(G) + list(D):
        if isinstance(m, torch.nn.Linear):
            a = np.sqrt(3.0) * np.sqrt(2.0 / m.in_features)
            torch.nn.init.uniform_(m.weight, -a, a); torch.nn.init.zeros_(m.bias)
oG=torch.optim.Adam(G.parameters(),1e-4,betas=(0.5,0.9)); oD=torch.optim.Adam(D.parameters(),1e-4,betas=(0.5,0.9))
B=256
for it in range(iters):
    for _ in range(5):
        x=data(B); z=torch.randn(B,2); f=G(z).detach()
        a=torch.rand(B,1); xi=(a*x+(1-a)*f).requires_grad_(True)
        g=torch.autograd.grad(D(xi).sum(),xi,create_graph=True)[0]
        loss=D(f).mean()-D(x).mean()+lam*((g.norm(dim=1)-1)**2).mean()
        oD.zero_grad(); loss.backward(); oD.step()
    z=torch.randn(B,2); l=-D(G(z)).mean(); oG.zero_grad(); l.backward(); oG.step()
    if (it+1)%500==0 or it+1==iters:
        with torch.no_grad(): s=G(torch.randn(2500,2)).numpy()
        d=np.linalg.norm(s[:,None,:]-c[None],axis=2); k=d.argmin(1); hq=d.min(1)<3*sd
        print(it+1, "modes", len(set(k[hq])), "hq %.3f"%hq.mean(), "-critic %.3f"%(-loss.item()+0), flush=True)
