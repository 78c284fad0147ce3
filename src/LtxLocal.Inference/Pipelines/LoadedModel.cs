using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Pipelines.Blocks;
using LtxLocal.Media;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.TextEncoder.Connector;
using LtxLocal.Models.TextEncoder.Enhancement;
using LtxLocal.Models.TextEncoder.Gemma;
using LtxLocal.Models.Transformer;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Pipelines;

/// <summary>
/// The loaded networks of one model on one device, one block each (the reference's ModelLedger, without swapping): prompt
/// encoder, transformer, image conditioner (video VAE encoder), video decoder, audio decoder, x2 upsampler, and the LoRAs
/// fused into the transformer (the request's and the distilled one).
/// Each block decides how its network loads; this class only holds them. bf16 on a GPU, float32 on the CPU.
/// </summary>
public sealed class LoadedModel : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    private LoadedModel(ModelFiles files, Device device, DType dtype)
    {
        Files = files;
        Device = device;
        DType = dtype;
        Loras = new TransformerLoras(files);
    }

    public ModelFiles Files { get; }
    public Device Device { get; }
    public DType DType { get; }
    public PromptEncoder PromptEncoder { get; private set; } = null!;
    public LtxModel Transformer { get; private set; } = null!;
    public ImageConditioning ImageConditioner { get; private set; } = null!;
    public IVideoLatentDecoder VideoDecoder { get; private set; } = null!;
    /// <summary>Null when the model has no soundtrack.</summary>
    public AudioLatentDecoder? AudioDecoder { get; private set; }
    /// <summary>Null when the folder has no x2 latent upsampler.</summary>
    public LatentUpsampling? Upsampler { get; private set; }
    public TransformerLoras Loras { get; }

    public bool HasAudio => AudioDecoder is not null && Transformer.Config.ModelType.HasAudio();

    public static LoadedModel Load(ModelFiles files, Device device, FfmpegTools ffmpeg)
    {
        var model = new LoadedModel(files, device, device.IsCuda ? DType.BFloat16 : DType.Float32);
        try
        {
            model.LoadAll(new StillRecompressor(ffmpeg));
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private void LoadAll(StillRecompressor recompressor)
    {
        PromptEncoder = Own(PromptEncoder.Load(Files, Device, DType));
        Transformer = Own(TransformerLoader.Load(Files.Transformer, new TransformerLoadOptions { Device = Device, DType = DType }));
        using (var vae = SafetensorsFile.Open(Files.VideoVae))
        {
            ImageConditioner = Own(ImageConditioning.Load(vae, Device, DType, recompressor));
            VideoDecoder = Own(VideoLatentDecoders.Load(vae, Device, DType));
        }
        AudioDecoder = Own(AudioLatentDecoder.Load(Files, Device, DType));
        Upsampler = Own(LatentUpsampling.Load(Files, Device, DType));
    }

    private T Own<T>(T block) where T : IDisposable?
    {
        if (block is not null) _owned.Add(block);
        return block;
    }

    public void Dispose()
    {
        foreach (var block in Enumerable.Reverse(_owned)) block.Dispose();
        _owned.Clear();
    }
}
