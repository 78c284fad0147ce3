using LtxLocal.Models.VideoVae;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.AudioVae;

/// <summary>
/// The audio VAE decoder (ltx_core/model/audio_vae/audio_vae.py <c>AudioDecoder</c>): un-normalise through the token
/// view → <c>conv_in</c> → <c>mid</c> → <c>up.N</c> levels from the deepest (num_res_blocks + 1 resnets, nearest-x2
/// causal upsample except level 0) → PixelNorm → SiLU → <c>conv_out</c>, then cropped / zero-padded to exactly
/// [B, out_ch, 4T - 3, mel_bins].
/// </summary>
public sealed class AudioDecoder : VaeCoder<AudioVaeConfig>
{
    public AudioDecoder(AudioVaeConfig config, ModuleOptions? options = null)
        : base(config, config.Ch, -1, options)
    {
        long blockIn = (long)config.Ch * config.ChMult[^1];
        ConvIn = RegisterModule("conv_in", new CausalConv2d(config.ZChannels, blockIn, 3, options));
        Mid = RegisterModule("mid", new AudioMidBlock(blockIn, options));
        var stages = new AudioStage[config.ChMult.Length];
        for (int level = config.ChMult.Length - 1; level >= 0; level--)
        {
            long blockOut = (long)config.Ch * config.ChMult[level];
            var blocks = new List<AudioResnetBlock>();
            for (int i = 0; i <= config.NumResBlocks; i++, blockIn = blockOut) blocks.Add(new AudioResnetBlock(blockIn, blockOut, options));
            stages[level] = new AudioStage(blocks, "upsample", level == 0 ? null : new AudioUpsample(blockOut, options));
        }
        Up = RegisterModule("up", new ModuleList<AudioStage>(stages));
        ConvOut = RegisterModule("conv_out", new CausalConv2d(blockIn, config.OutCh, 3, options));
    }

    private CausalConv2d ConvIn { get; }
    private AudioMidBlock Mid { get; }
    private ModuleList<AudioStage> Up { get; }
    private CausalConv2d ConvOut { get; }

    /// <summary>Normalised latent [B, z, T, mel'] → log-mel [B, out_ch, 4T - 3, mel_bins].</summary>
    public Tensor Forward(Tensor latent)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        long targetFrames = AudioLatentShape.MelFrames(latent.Size(2));
        long targetMel = Config.MelBins ?? latent.Size(3);
        var h = ConvIn.Forward(AudioPatchify.ApplyStatistics(latent, Statistics, normalize: false));
        h = Mid.Forward(h);
        for (int level = Up.Count - 1; level >= 0; level--) h = Up[level].Forward(h);
        h = ConvOut.Forward(new PixelNorm(AudioResnetBlock.PixelNormEps).Forward(h).Silu());
        return scope.MoveToOuter(FitTo(h, Config.OutCh, targetFrames, targetMel));
    }

    /// <summary>Crops, then zero-pads at the end, to exactly [B, channels, frames, mel].</summary>
    private static Tensor FitTo(Tensor x, long channels, long frames, long mel)
    {
        x = x.Narrow(1, 0, Math.Min(channels, x.Size(1))).Narrow(2, 0, Math.Min(frames, x.Size(2))).Narrow(3, 0, Math.Min(mel, x.Size(3)));
        long padFrames = frames - x.Size(2), padMel = mel - x.Size(3);
        return padFrames > 0 || padMel > 0 ? F.Pad(x, new[] { 0, Math.Max(padMel, 0), 0, Math.Max(padFrames, 0) }) : x.Contiguous();
    }
}
