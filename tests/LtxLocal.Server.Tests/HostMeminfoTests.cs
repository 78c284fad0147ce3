using LtxLocal.Server.Planning;

namespace LtxLocal.Server.Tests;

/// <summary>The host budget's source: MemAvailable from a /proc/meminfo text (the kernel's kB are KiB), and no bound where it is missing.</summary>
public sealed class HostMeminfoTests
{
    private const string Sample = """
        MemTotal:       32594100 kB
        MemFree:         1203456 kB
        MemAvailable:   30712345 kB
        Buffers:          412312 kB
        Cached:         27010000 kB
        """;

    [Fact]
    public void MemAvailable_is_read_in_bytes()
    {
        Assert.Equal(30712345L * 1024, HostMeminfo.ParseAvailable(Sample));
    }

    [Theory]
    [InlineData("MemTotal:       32594100 kB\nMemFree:         1203456 kB\n")]
    [InlineData("MemAvailable:   lots kB\n")]
    [InlineData("")]
    public void Without_a_readable_MemAvailable_line_there_is_no_host_bound(string meminfo)
    {
        Assert.Null(HostMeminfo.ParseAvailable(meminfo));
    }

    [Fact]
    public void A_missing_meminfo_file_is_no_host_bound()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-meminfo-{Guid.NewGuid():N}");
        Assert.Null(new HostMeminfo(missing).AvailableBytes());
    }

    [Fact]
    public void A_meminfo_file_is_read()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, Sample);
            Assert.Equal(30712345L * 1024, new HostMeminfo(file).AvailableBytes());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
