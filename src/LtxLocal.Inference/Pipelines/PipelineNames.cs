namespace LtxLocal.Inference.Pipelines;

/// <summary>
/// The pipeline names of the API, what each needs of a size, and the reference's default negative prompt. The classes that
/// run them are chosen in <see cref="VideoPipelines"/>.
/// </summary>
public static class PipelineNames
{
    public const string Distilled = "distilled", OneStage = "one-stage", TwoStage = "two-stage";

    public static readonly IReadOnlyList<string> All = [Distilled, OneStage, TwoStage];

    /// <summary>Guided pipelines take steps, guidance_scale and a negative prompt; distilled runs a fixed unguided schedule.</summary>
    public static bool IsGuided(string pipeline) => pipeline != Distilled;

    /// <summary>The multiple width and height are snapped to: two-stage halves the size for stage 1, which must stay on the 32-pixel grid.</summary>
    public static int Multiple(string pipeline) => pipeline == TwoStage ? 64 : 32;

    /// <summary>The reference's DEFAULT_NEGATIVE_PROMPT (ltx_pipelines/utils/constants.py).</summary>
    public const string DefaultNegativePrompt =
        "has_subtitles, has_blurbox, transition from black, transition to black, speech_ending_short, " +
        "blurry, out of focus, overexposed, underexposed, low contrast, washed out colors, excessive noise, " +
        "grainy texture, poor lighting, flickering, motion blur, distorted proportions, unnatural skin tones, " +
        "deformed facial features, asymmetrical face, missing facial features, extra limbs, disfigured hands, " +
        "wrong hand count, artifacts around text, inconsistent perspective, camera shake, incorrect depth of " +
        "field, background too sharp, background clutter, distracting reflections, harsh shadows, inconsistent " +
        "lighting direction, color banding, cartoonish rendering, 3D CGI look, unrealistic materials, uncanny " +
        "valley effect, incorrect ethnicity, wrong gender, exaggerated expressions, wrong gaze direction, " +
        "mismatched lip sync, silent or muted audio, distorted voice, robotic voice, echo, background noise, " +
        "off-sync audio, incorrect dialogue, added dialogue, repetitive speech, jittery movement, awkward " +
        "pauses, incorrect timing, unnatural transitions, inconsistent framing, tilted camera, flat lighting, " +
        "inconsistent tone, cinematic oversaturation, stylized filters, or AI artifacts.";

    /// <summary>Whether the distilled pipeline can run its two stages (half resolution must stay on the 32-pixel grid).</summary>
    public static bool HalvesCleanly(int width, int height) => width % 64 == 0 && height % 64 == 0;
}
