namespace LtxLocal.Inference.Requests;

/// <summary>
/// The classifier-free guidance scales a guided pipeline runs with: <c>guidance_scale</c> on video and the generation's
/// audio CFG; the generation's STG, modality and rescale settings go with them. 1 on video switches every guidance term off.
/// </summary>
public sealed record GuidanceScales(double VideoScale, double AudioScale)
{
    /// <summary>The video guider's STG scale (<c>stg_scale</c>); null: the generation's default.</summary>
    public double? StgScale { get; init; }

    public bool Disabled => Math.Abs(VideoScale - 1.0) < 1e-9;
}
