using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using LtxLocal.Server;

namespace LtxLocal.Server.Tests;

/// <summary>Issue 15, defect 6: bad settings stop start-up with a message naming the setting, never a stack trace from deep inside.</summary>
public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("Ltx:ResultTtlHours", "0")]
    [InlineData("Ltx:ResultTtlHours", "-1")]
    [InlineData("Ltx:ResultTtlHours", "1e300")]
    [InlineData("Ltx:ResultTtlHours", "NaN")]
    [InlineData("Ltx:ResultTtlHours", "Infinity")]
    [InlineData("Ltx:ExpirySweepSeconds", "0")]
    [InlineData("Ltx:MaxQueuedJobs", "-5")]
    [InlineData("Ltx:SweepMeasureWaitSeconds", "-1")]
    [InlineData("Ltx:Outbound:TimeoutSeconds", "0")]
    [InlineData("Ltx:CpuThreads", "-2")]
    [InlineData("Ltx:GpuMemoryLimit", "24GB-ish")]
    [InlineData("Ltx:GpuMemoryLimit", "0")]
    [InlineData("Ltx:GpuMemoryLimit", "-3GiB")]
    [InlineData("Ltx:HostMemoryLimit", "32GB-ish")]
    [InlineData("Ltx:HostMemoryLimit", "0")]
    [InlineData("Ltx:HostMemoryLimit", "-1GiB")]
    [InlineData("Ltx:PromptCacheBytes", "2GB")]
    [InlineData("Ltx:PromptCacheBytes", "-1")]
    [InlineData("Ltx:PromptCacheBytes", "lots")]
    [InlineData("Ltx:KeepResident", "gemma")]
    [InlineData("Ltx:KeepResident", "transformer,transformer")]
    [InlineData("Ltx:MemoryPlans", "resident,turbo")]
    [InlineData("Ltx:MemoryPlans", "sequential+fp4")]
    public void A_bad_setting_stops_start_up_naming_it(string setting, string value)
    {
        // The server's own registration (ValidateOnStart included), validated the way the host does before it starts.
        // A WebApplicationFactory host is not used here: when its start-up fails it sometimes reports its own disposal
        // (ObjectDisposedException) instead of the validation error, which made this test flaky.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [setting] = value }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddLtxServer();
        using var provider = services.BuildServiceProvider();

        var e = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        var validation = Chain(e).OfType<OptionsValidationException>().FirstOrDefault();
        Assert.True(validation is not null, $"expected an options validation failure, got {e}");
        var failure = Assert.Single(validation.Failures);
        Assert.Contains(setting, failure);
        Assert.Contains("must be", failure);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0 GiB")]
    [InlineData("512MiB")]
    [InlineData("1048576")]
    public void A_prompt_cache_size_or_zero_passes_validation(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Ltx:PromptCacheBytes"] = value }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddLtxServer();
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void Default_settings_pass_validation()
    {
        var services = new ServiceCollection().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build()).AddLogging();
        services.AddLtxServer();
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
            if (x is AggregateException a) foreach (var inner in a.InnerExceptions.SelectMany(Chain)) yield return inner;
        }
    }
}
