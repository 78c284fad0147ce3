using LtxLocal.Inference.Memory;
using LtxLocal.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LtxLocal.Cli.Commands;

/// <summary>The pipelines as the server's backend (the server finds models itself): the generator factory and the VRAM estimator.</summary>
public static class InferenceServices
{
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<IGeneratorFactory>(sp =>
        {
            // CPU workers, the tiny model and CPU text encoders run on every core unless Ltx:CpuThreads says otherwise.
            CpuThreads.Apply(sp.GetRequiredService<IOptions<ServerOptions>>().Value.CpuThreads);
            return ActivatorUtilities.CreateInstance<LtxGeneratorFactory>(sp);
        });
        services.AddSingleton<IVramEstimator>(sp => new VramEstimator(sp.GetRequiredService<IModelCatalog>()) { Kept = sp.GetRequiredService<ResidentNetworks>() });
    }
}
