namespace LtxLocal.Media;

/// <summary>ffmpeg/ffprobe failed or is missing; the message carries ffmpeg's own words.</summary>
public class MediaException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>An input image we refuse: not an image, an unsupported format, too large, or corrupt.</summary>
public sealed class ImageRejectedException(string message) : MediaException(message);
