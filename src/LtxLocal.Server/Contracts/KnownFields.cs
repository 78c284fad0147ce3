namespace LtxLocal.Server.Contracts;

/// <summary>
/// The fields a generation body may carry (api.md). Anything else is refused with its name and, when one is close, the
/// known name it was probably meant to be (edit distance), so a typo never silently becomes a default.
/// </summary>
public static class KnownFields
{
    public static readonly IReadOnlyList<string> Generation =
    [
        "model", "prompt", "negative_prompt", "duration", "resolution", "fps", "seed", "pipeline", "steps", "guidance_scale", "stg_scale",
        "generate_audio", "frame_images", "number_results", "output_format", "output_quality", "enhance_prompt",
        "webhook_url", "upload_url", "dry_run", "loras", "ttl", "include_cost", "safety",
    ];

    /// <summary>Only image-to-video takes an image (a multipart file 'image' or 'image_uri').</summary>
    public static readonly IReadOnlyList<string> ImageToVideo = [.. Generation, "image", "image_uri"];

    /// <summary>audio-to-video: the soundtrack (file 'audio' or 'audio_uri') and an optional first-frame image; the audio is the output's.</summary>
    public static readonly IReadOnlyList<string> AudioToVideo = [.. ImageToVideo.Where(f => f != "generate_audio"), "audio", "audio_uri"];

    /// <summary>retake and extend run at the source's size and frame rate; 'duration' is the region's (retake) or the added seconds (extend).</summary>
    public static readonly IReadOnlyList<string> Retake =
        [.. Generation.Where(f => f is not ("resolution" or "fps" or "generate_audio" or "frame_images")), "video", "video_uri", "start_time", "end_time", "mode"];

    public static readonly IReadOnlyList<string> Extend =
        [.. Generation.Where(f => f is not ("resolution" or "fps" or "generate_audio" or "frame_images")), "video", "video_uri", "mode", "context"];

    public static readonly IReadOnlyList<string> FrameImage = ["image_uri", "frame", "strength"];

    public static readonly IReadOnlyList<string> Lora = ["name", "strength"];

    /// <summary>The fields of the <c>safety</c> object.</summary>
    public static readonly IReadOnlyList<string> Safety = ["check_inputs", "check_content"];

    /// <summary>The 400 message for <paramref name="field"/>, or null when it is known.</summary>
    public static string? Problem(string field, IReadOnlyList<string> known, string where = "")
    {
        if (known.Contains(field)) return null;
        var nearest = Nearest(field, known);
        return $"unknown field '{where}{field}'" + (nearest is null ? "" : $"; did you mean '{where}{nearest}'?");
    }

    /// <summary>The known name at the smallest edit distance, when that distance is at most a third of the name (at least 2).</summary>
    public static string? Nearest(string field, IReadOnlyList<string> known)
    {
        var lower = field.ToLowerInvariant();
        var best = known.Select(k => (Name: k, Distance: EditDistance(lower, k))).OrderBy(p => p.Distance).ThenBy(p => p.Name, StringComparer.Ordinal).First();
        return best.Distance <= Math.Max(2, field.Length / 3) ? best.Name : null;
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions of one character each cost 1.</summary>
    public static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
