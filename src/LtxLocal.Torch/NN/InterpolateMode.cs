using LtxLocal.Torch.Native;

namespace LtxLocal.Torch.NN;

/// <summary>nearest = PyTorch's "nearest"; Linear = linear/bilinear/trilinear by rank; NearestExact = "nearest-exact".</summary>
public enum InterpolateMode { Nearest = 0, Linear = 1, NearestExact = 2 }
