using System.Globalization;

namespace LtxLocal.Server.Planning;

/// <summary>
/// The host's available memory as Linux reports it (<c>MemAvailable</c> in /proc/meminfo: free memory plus what the
/// kernel can reclaim without swapping), read on each call because other processes change it between jobs. Where the
/// file or the line is missing (not Linux, kernels before 3.14) there is nothing to bound the host with: null.
/// </summary>
public sealed class HostMeminfo(string path = "/proc/meminfo")
{
    public long? AvailableBytes()
    {
        try
        {
            return File.Exists(path) ? ParseAvailable(File.ReadAllText(path)) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The <c>MemAvailable:  123456 kB</c> line of a meminfo text, in bytes (the kernel's "kB" is KiB); null when absent or unreadable.</summary>
    public static long? ParseAvailable(string meminfo)
    {
        foreach (var line in meminfo.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0 || line[..colon].Trim() != "MemAvailable") continue;
            var value = line[(colon + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (value.Length == 0 || !long.TryParse(value[0], NumberStyles.None, CultureInfo.InvariantCulture, out var amount)) return null;
            return value.Length > 1 && value[1].Equals("kB", StringComparison.OrdinalIgnoreCase) ? amount * 1024 : amount;
        }
        return null;
    }
}
