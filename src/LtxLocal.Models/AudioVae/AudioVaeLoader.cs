using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.VideoVae;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.AudioVae;

/// <summary>
/// Builds the audio VAE and the vocoder from a released file (the LTX-2 / 2.3 single file or the LTX-2.5 audio VAE file,
/// same prefixes in both): <c>audio_vae.decoder.*</c> / <c>audio_vae.encoder.*</c> + <c>audio_vae.per_channel_statistics.*</c>
/// with config <c>["audio_vae"]</c>; <c>vocoder.*</c> with one <c>vocoder.</c> stripped and config <c>["vocoder"]</c>, flat
/// (HiFi-GAN) or nested <c>{vocoder, bwe}</c> (BigVGAN + bandwidth extension).
/// </summary>
public static class AudioVaeLoader
{
    public static AudioVaeConfig ReadConfig(SafetensorsFile file) =>
        AudioVaeConfig.From(ConfigReader.FromMetadata(file.Metadata, "audio_vae", file.Path));

    /// <summary>Both audio VAE halves and their statistics sit under <c>audio_vae.</c>, in the single file and the split one.</summary>
    private static readonly VaeFileLayout Layout = new("audio_vae.");

    public static AudioDecoder LoadDecoder(SafetensorsFile file, Device device, DType dtype = DType.Float32) =>
        Layout.LoadCoder(o => new AudioDecoder(ReadConfig(file), o), dtype, file, device, "decoder.");

    public static AudioEncoder LoadEncoder(SafetensorsFile file, Device device, DType dtype = DType.Float32) =>
        Layout.LoadCoder(o => new AudioEncoder(ReadConfig(file), o), dtype, file, device, "encoder.");

    /// <summary>The audio latent statistics alone, acting on the token view [B, T, C·mel].</summary>
    public static PerChannelStatistics LoadStatistics(SafetensorsFile file, Device device) =>
        Layout.LoadStatistics(ReadConfig(file).Ch, -1, file, device);

    /// <summary>The vocoder the file's config describes, always in float32 (the reference runs it in fp32).</summary>
    public static IVocoder LoadVocoder(SafetensorsFile file, Device device) =>
        (IVocoder)KeyMappedSource.Build(VocoderFactory(ConfigReader.FromMetadata(file.Metadata, "vocoder", file.Path)), DType.Float32, file, device,
            ("", "vocoder."));

    /// <summary>How the vocoder section builds its module: flat (LTX-2 HiFi-GAN) or nested with a bandwidth extender (LTX-2.3+).</summary>
    public static Func<ModuleOptions, Module> VocoderFactory(ConfigReader config)
    {
        if (!config.Has("bwe")) return o => new Vocoder(VocoderConfig.From(config, "1"), true, o);
        var bwe = config.Section("bwe");
        int inputRate = bwe.Int("input_sampling_rate"), outputRate = bwe.Int("output_sampling_rate");
        if (outputRate % inputRate != 0) throw new ModelConfigException($"vocoder.bwe: {outputRate} Hz is not a multiple of {inputRate} Hz");
        return o => new VocoderWithBwe(
            VocoderConfig.From(config.Section("vocoder"), "AMP1", inputRate),
            VocoderConfig.From(bwe, "AMP1", outputRate),
            bwe.Int("n_fft"), bwe.Int("hop_length"), bwe.Int("num_mels"), inputRate, outputRate, o);
    }

    /// <summary>
    /// The pipelines' <c>decode_audio</c>: latent [1, z, T, mel'] → log-mel → waveform [2, samples] in float32
    /// at <see cref="IVocoder.OutputSamplingRate"/>.
    /// </summary>
    public static Tensor DecodeAudio(Tensor latent, AudioDecoder decoder, IVocoder vocoder)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var mel = decoder.Forward(latent);
        return scope.MoveToOuter(vocoder.Forward(mel).Squeeze(0).To(DType.Float32));
    }
}
