using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae;

/// <summary>
/// The per-channel latent statistics the diffusion model's latent space is normalised with
/// (buffers <c>std-of-means</c>, <c>mean-of-means</c>; ltx_core/model/video_vae/ops.py). The channel axis is
/// <see cref="ChannelDim"/>: 1 for video latents [B, C, F, H, W], -1 for patchified audio tokens [B, T, C·mel].
/// </summary>
public sealed class PerChannelStatistics : Module
{
    public PerChannelStatistics(long channels, int channelDim = 1, ModuleOptions? options = null)
    {
        var o = options ?? ModuleOptions.Default;
        ChannelDim = channelDim;
        RegisterBuffer("std-of-means", NewTensor(new[] { channels }, o));
        RegisterBuffer("mean-of-means", NewTensor(new[] { channels }, o));
    }

    public int ChannelDim { get; }

    public Tensor Std => Buffer("std-of-means");

    public Tensor Mean => Buffer("mean-of-means");

    /// <summary>(x - mean) / std per channel.</summary>
    public Tensor Normalize(Tensor x)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        return scope.MoveToOuter((x - Broadcast(Mean, x)) / Broadcast(Std, x));
    }

    /// <summary>x · std + mean per channel.</summary>
    public Tensor UnNormalize(Tensor x)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        return scope.MoveToOuter(x * Broadcast(Std, x) + Broadcast(Mean, x));
    }

    private Tensor Broadcast(Tensor stat, Tensor x)
    {
        var shape = Enumerable.Repeat(1L, x.Dim).ToArray();
        shape[ChannelDim < 0 ? x.Dim + ChannelDim : ChannelDim] = stat.Numel;
        return stat.To(x.Device, x.DType).Reshape(shape);
    }
}
