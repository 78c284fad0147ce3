using LtxLocal.Inference.Guidance;

namespace LtxLocal.Inference.Requests;

/// <summary>
/// What a model generation runs by default (the reference's per-generation PipelineParams): denoising steps of the guided
/// pipelines, the video and audio guider settings, and the H.264 CRF a conditioning image is re-compressed at before it
/// is encoded (the compression the generation was trained against).
/// </summary>
public sealed record GenerationParams(int Steps, GuiderParams Video, GuiderParams Audio, int ImageCrf)
{
    /// <summary>The reference's DEFAULT_IMAGE_CRF (through LTX-2.3) and LTX_2_4_IMAGE_CRF.</summary>
    public const int Ltx2ImageCrf = 33, Ltx24ImageCrf = 18;

    public static readonly GenerationParams Ltx2 = new(40,
        new GuiderParams(3.0, 1.0, new[] { 29 }, 0.7, 3.0),
        new GuiderParams(7.0, 1.0, new[] { 29 }, 0.7, 3.0),
        Ltx2ImageCrf);

    public static readonly GenerationParams Ltx23 = Ltx2 with
    {
        Steps = 30,
        Video = Ltx2.Video with { StgBlocks = new[] { 28 } },
        Audio = Ltx2.Audio with { StgBlocks = new[] { 28 } },
    };

    /// <summary>2.4 continues 2.3 (30 steps, STG on block 28) and only moves the image CRF.</summary>
    public static readonly GenerationParams Ltx24 = Ltx23 with { ImageCrf = Ltx24ImageCrf };

    /// <summary>The 2.3 "HQ" preset: fewer steps, no STG, stronger audio rescale.</summary>
    public static readonly GenerationParams Ltx23Hq = new(15,
        new GuiderParams(3.0, 0.0, Array.Empty<int>(), 0.45, 3.0),
        new GuiderParams(7.0, 0.0, Array.Empty<int>(), 1.0, 3.0),
        Ltx2ImageCrf);

    /// <summary>
    /// The newest generation at or below <paramref name="modelVersion"/>, so a newer unknown version inherits the closest
    /// known one; files without a model_version (LTX-2 19B) are LTX-2.
    /// </summary>
    public static GenerationParams For(Version? modelVersion) => modelVersion switch
    {
        { } v when v >= new Version(2, 4) => Ltx24,
        { } v when v >= new Version(2, 3) => Ltx23,
        _ => Ltx2,
    };

    /// <summary>The generation's name as the API shows it ("LTX-2", "LTX-2.3", ...).</summary>
    public static string NameOf(Version? modelVersion) => modelVersion is null ? "LTX-2" : $"LTX-{modelVersion.Major}.{modelVersion.Minor}";
}
