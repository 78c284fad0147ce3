namespace LtxLocal.Torch.NN;

/// <summary>torch.nn's padding_mode: how a convolution pads its input.</summary>
public enum ConvPaddingMode { Zeros, Reflect, Replicate, Circular }
