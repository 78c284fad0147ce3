using LtxLocal.Models.VideoVae;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.AudioVae;

/// <summary>
/// The audio VAE encoder (ltx_core/model/audio_vae/audio_vae.py <c>AudioEncoder</c>): log-mel [B, 2, T_mel, mel] →
/// <c>conv_in</c> → <c>down.N</c> levels (resnets, causal stride-2 downsample except the last) → <c>mid</c> → PixelNorm →
/// SiLU → <c>conv_out</c>; the means (first half of the channels) normalised through the token view.
/// </summary>
public sealed class AudioEncoder : VaeCoder<AudioVaeConfig>
{
    public AudioEncoder(AudioVaeConfig config, ModuleOptions? options = null)
        : base(config, config.Ch, -1, options)
    {
        ConvIn = RegisterModule("conv_in", new CausalConv2d(config.InChannels, config.Ch, 3, options));
        Down = RegisterModule("down", new ModuleList<AudioStage>());
        long blockIn = config.Ch;
        for (int level = 0; level < config.ChMult.Length; level++)
        {
            long blockOut = (long)config.Ch * config.ChMult[level];
            var blocks = new List<AudioResnetBlock>();
            for (int i = 0; i < config.NumResBlocks; i++, blockIn = blockOut) blocks.Add(new AudioResnetBlock(blockIn, blockOut, options));
            bool last = level == config.ChMult.Length - 1;
            Down.Add(new AudioStage(blocks, "downsample", last ? null : new AudioDownsample(blockOut, options)));
        }
        Mid = RegisterModule("mid", new AudioMidBlock(blockIn, options));
        ConvOut = RegisterModule("conv_out", new CausalConv2d(blockIn, config.DoubleZ ? 2L * config.ZChannels : config.ZChannels, 3, options));
    }

    private CausalConv2d ConvIn { get; }
    private ModuleList<AudioStage> Down { get; }
    private AudioMidBlock Mid { get; }
    private CausalConv2d ConvOut { get; }

    /// <summary>Log-mel [B, 2, T_mel, mel] → normalised latent [B, z, T_mel/4, mel/4].</summary>
    public Tensor Forward(Tensor mel)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var h = ConvIn.Forward(mel);
        foreach (var stage in Down) h = stage.Forward(h);
        h = ConvOut.Forward(new PixelNorm(AudioResnetBlock.PixelNormEps).Forward(Mid.Forward(h)).Silu());
        // torch.chunk(x, 2, dim=1)[0]: the first ceil(C/2) channels are the means.
        var means = h.Narrow(1, 0, (h.Size(1) + 1) / 2);
        return scope.MoveToOuter(AudioPatchify.ApplyStatistics(means, Statistics, normalize: true));
    }
}
