using LtxLocal.Torch.Native;

namespace LtxLocal.Torch.NN;

public enum PadMode { Constant = 0, Reflect = 1, Replicate = 2, Circular = 3 }
