namespace LtxLocal.Server.Safety;

/// <summary>
/// What the checker receives (JSON, snake_case): <c>check</c> is "inputs" (before queueing: the prompts and the input images)
/// or "content" (the output: sampled frames, with the prompts for context). Every image is a PNG, base64.
/// </summary>
public sealed record SafetyCheck(string Check, string? JobId, string Prompt, string? NegativePrompt, IReadOnlyList<SafetyImage> Images)
{
    public const string Inputs = "inputs", Content = "content";
}

/// <summary>
/// One image for the checker: <c>name</c> says where it came from ("image", "frame_images[0]", "frame 48"); output frames
/// carry their index and time in seconds.
/// </summary>
public sealed record SafetyImage(string Name, int? Frame, double? Seconds, int Width, int Height, string ContentType, string Data);
