using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Conditioning;
using LtxLocal.Media;
using LtxLocal.Models.Transformer;
using VideoEncoder = LtxLocal.Models.VideoVae.VideoEncoder;
using LtxLocal.Models.VideoVae;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Pipelines.Blocks;

/// <summary>
/// The image conditioner block (the reference's ImageConditioner): owns the video VAE encoder; <see cref="Prepare"/>
/// re-compresses each conditioning image as one H.264 frame at the generation's CRF (the compression the model was
/// trained against, resolved per request as <see cref="GenerationRequest.ImageCrf"/>) without the encoder, and
/// <see cref="Apply"/> encodes and places them on a stage's latent (<see cref="ImageConditioner"/>).
/// </summary>
public sealed class ImageConditioning(VideoEncoder encoder) : IDisposable
{
    public VideoEncoder Encoder => encoder;

    public long WeightBytes => Blocks.WeightBytes.Of(encoder);

    public static ImageConditioning Load(ModelFiles files, Device device, DType dtype)
    {
        using var vae = SafetensorsFile.Open(files.VideoVae);
        return new(VideoVaeLoader.LoadEncoder(vae, device, dtype));
    }

    public static async Task<IReadOnlyList<ConditioningImage>> PrepareAsync(StillRecompressor recompressor, IReadOnlyList<ConditioningImage> images, int crf,
        CancellationToken cancellationToken)
    {
        var prepared = new List<ConditioningImage>(images.Count);
        foreach (var image in images)
        {
            var (rgb, width, height) = await recompressor.RecompressAsync(image.Rgb, image.Width, image.Height, crf, cancellationToken);
            prepared.Add(image with { Rgb = rgb, Width = width, Height = height });
        }
        return prepared;
    }

    public static IReadOnlyList<ConditioningImage> Prepare(StillRecompressor recompressor, IReadOnlyList<ConditioningImage> images, int crf,
        CancellationToken cancellationToken) =>
        PrepareAsync(recompressor, images, crf, cancellationToken).GetAwaiter().GetResult();

    public LatentState Apply(LatentState state, VideoLatentTools tools, IReadOnlyList<ConditioningImage> images, int width, int height) =>
        new ImageConditioner(encoder).Apply(state, tools, images, width, height);

    public void Dispose() => encoder.Dispose();
}
