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
    private readonly TensorSlot _std, _mean;

    public PerChannelStatistics(long channels, int channelDim = 1, ModuleOptions? options = null)
    {
        var o = options ?? ModuleOptions.Default;
        ChannelDim = channelDim;
        _std = AddBuffer("std-of-means", NewTensor(new[] { channels }, o));
        _mean = AddBuffer("mean-of-means", NewTensor(new[] { channels }, o));
    }

    /// <summary>Statistics over channel axis 1 holding copies of <paramref name="std"/> and <paramref name="mean"/> [C] on <paramref name="device"/>.</summary>
    public static PerChannelStatistics FromTensors(Tensor std, Tensor mean, Device device)
    {
        var statistics = new PerChannelStatistics(std.Numel);
        statistics.LoadStateDict(new Dictionary<string, Tensor> { ["std-of-means"] = std, ["mean-of-means"] = mean }, device: device);
        return statistics;
    }

    public int ChannelDim { get; }

    public Tensor Std => _std.Value;

    public Tensor Mean => _mean.Value;

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
