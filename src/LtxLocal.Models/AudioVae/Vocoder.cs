using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.AudioVae;

/// <summary>
/// The mel → waveform generator (ltx_core/model/audio_vae/vocoder.py <c>Vocoder</c>): stereo mel [B, 2, T, 64] merged
/// to 128 channels (s·64 + mel), <c>conv_pre</c>, per stage [leaky ReLU 0.1 →] transposed-conv upsample <c>ups.N</c> and
/// the mean of its resblocks, then <c>act_post</c> (LeakyReLU 0.01, or anti-aliased SnakeBeta for BigVGAN) →
/// <c>conv_post</c> → tanh or clamp. Output [B, 2, T · prod(rates)].
/// </summary>
public sealed class Vocoder : Module, IVocoder
{
    public Vocoder(VocoderConfig config, bool applyFinalActivation = true, ModuleOptions? options = null)
    {
        Config = config;
        ApplyFinalActivation = applyFinalActivation;
        long c = config.UpsampleInitialChannel;
        ConvPre = RegisterModule("conv_pre", new Conv1d(128, c, 7, 1, 3, options: options));
        Ups = RegisterModule("ups", new ModuleList<ConvTranspose>(config.UpsampleRates.Select((stride, i) =>
            ConvTranspose.Create(1, c >> i, c >> (i + 1), config.UpsampleKernelSizes[i], stride, (config.UpsampleKernelSizes[i] - stride) / 2, options: options))));
        Resblocks = RegisterModule("resblocks", new ModuleList<VocoderResBlock>());
        for (int i = 0; i < config.UpsampleRates.Length; i++)
            for (int k = 0; k < config.ResblockKernelSizes.Length; k++)
                Resblocks.Add(new VocoderResBlock(c >> (i + 1), config.ResblockKernelSizes[k], config.ResblockDilationSizes[k], config.AntiAliased, config.SnakeBeta, options));
        long final = c >> config.UpsampleRates.Length;
        ActPost = config.AntiAliased ? RegisterModule("act_post", new AntiAliasedActivation(final, config.SnakeBeta, options)) : new LeakyReLU();
        ConvPost = RegisterModule("conv_post", new Conv1d(final, 2, 7, 1, 3, bias: config.UseBiasAtFinal, options: options));
    }

    public VocoderConfig Config { get; }

    public bool ApplyFinalActivation { get; }

    public int OutputSamplingRate => Config.OutputSamplingRate;

    private Conv1d ConvPre { get; }
    private ModuleList<ConvTranspose> Ups { get; }
    private ModuleList<VocoderResBlock> Resblocks { get; }
    private Module ActPost { get; }
    private Conv1d ConvPost { get; }

    /// <summary>Mel [B, 2, T, mel] → waveform [B, 2, T · hop].</summary>
    public Tensor Forward(Tensor mel)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var s = mel.Shape;
        var x = ConvPre.Forward(mel.Transpose(2, 3).Reshape(s[0], s[1] * s[3], s[2])); // [B, 2·mel, T]
        int kernels = Config.ResblockKernelSizes.Length;
        for (int i = 0; i < Ups.Count; i++)
        {
            if (!Config.AntiAliased) x = x.LeakyRelu(0.1);
            x = Ups[i].Forward(x);
            var outputs = Enumerable.Range(i * kernels, kernels).Select(k => Resblocks[k].Forward(x)).ToArray();
            x = Tensor.Stack(outputs).Mean(0);
        }
        x = ConvPost.Forward(((IUnaryModule)ActPost).Forward(x));
        if (ApplyFinalActivation) x = Config.UseTanhAtFinal ? x.Tanh() : x.Clamp(-1, 1);
        return scope.MoveToOuter(x);
    }
}
