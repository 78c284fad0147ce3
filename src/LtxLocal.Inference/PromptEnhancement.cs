namespace LtxLocal.Inference;

/// <summary>
/// Whether a model can rewrite prompts (<c>enhance_prompt</c>), per request kind: the system prompt file for
/// text-to-video and for image-to-video, or why not (an encode-only text encoder, a prompt file not placed). Found
/// from the files without loading tensors, so the planner can answer before a job runs.
/// </summary>
public sealed record PromptEnhancement(string? TextToVideoPrompt, string? ImageToVideoPrompt, string? WhyNotTextToVideo, string? WhyNotImageToVideo)
{
    /// <summary>For models whose files say nothing about enhancement (catalogs other than the model directory).</summary>
    public static PromptEnhancement Unsupported(string reason) => new(null, null, reason, reason);

    /// <summary>The system prompt file for the kind of request, or null when it cannot be enhanced.</summary>
    public string? SystemPromptFile(bool textToVideo) => textToVideo ? TextToVideoPrompt : ImageToVideoPrompt;

    /// <summary>Why a request of this kind cannot be enhanced (what is missing and where it goes), or null when it can.</summary>
    public string? WhyNot(bool textToVideo) => textToVideo ? WhyNotTextToVideo : WhyNotImageToVideo;
}
