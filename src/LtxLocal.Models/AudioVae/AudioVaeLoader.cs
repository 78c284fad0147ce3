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

    public static AudioDecoder LoadDecoder(SafetensorsFile file, Device device, DType dtype = DType.Float32)
    {
        var decoder = new AudioDecoder(ReadConfig(file), new ModuleOptions(dtype, Device.Meta));
        Load(decoder, file, device, ("per_channel_statistics.", "audio_vae.per_channel_statistics."), ("", "audio_vae.decoder."));
        return decoder;
    }

    public static AudioEncoder LoadEncoder(SafetensorsFile file, Device device, DType dtype = DType.Float32)
    {
        var encoder = new AudioEncoder(ReadConfig(file), new ModuleOptions(dtype, Device.Meta));
        Load(encoder, file, device, ("per_channel_statistics.", "audio_vae.per_channel_statistics."), ("", "audio_vae.encoder."));
        return encoder;
    }

    /// <summary>The audio latent statistics alone, acting on the token view [B, T, C·mel].</summary>
    public static PerChannelStatistics LoadStatistics(SafetensorsFile file, Device device)
    {
        var statistics = new PerChannelStatistics(ReadConfig(file).Ch, -1, new ModuleOptions(DType.Float32, Device.Meta));
        Load(statistics, file, device, ("", "audio_vae.per_channel_statistics."));
        return statistics;
    }

    /// <summary>The vocoder the file's config describes, always in float32 (the reference runs it in fp32).</summary>
    public static IVocoder LoadVocoder(SafetensorsFile file, Device device)
    {
        var config = ConfigReader.FromMetadata(file.Metadata, "vocoder", file.Path);
        var options = new ModuleOptions(DType.Float32, Device.Meta);
        Module vocoder;
        if (!config.Has("bwe"))
        {
            vocoder = new Vocoder(VocoderConfig.From(config, "1"), true, options);
        }
        else
        {
            var bwe = config.Section("bwe");
            int inputRate = bwe.Int("input_sampling_rate"), outputRate = bwe.Int("output_sampling_rate");
            if (outputRate % inputRate != 0) throw new ModelConfigException($"vocoder.bwe: {outputRate} Hz is not a multiple of {inputRate} Hz");
            vocoder = new VocoderWithBwe(
                VocoderConfig.From(config.Section("vocoder"), "AMP1", inputRate),
                VocoderConfig.From(bwe, "AMP1", outputRate),
                bwe.Int("n_fft"), bwe.Int("hop_length"), bwe.Int("num_mels"), inputRate, outputRate, options);
        }
        Load(vocoder, file, device, ("", "vocoder."));
        return (IVocoder)vocoder;
    }

    private static void Load(Module module, ITensorSource file, Device device, params KeyRule[] rules) =>
        KeyMappedSource.LoadInto(module, file, device, rules);

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
