using LtxLocal.Inference;
using LtxLocal.Inference.Memory;
using LtxLocal.Inference.Catalog;
using Microsoft.Extensions.DependencyInjection;

namespace LtxLocal.Cli.Commands;

/// <summary>The pipelines as the server's backend (the server finds models itself): the generator factory and the VRAM estimator.</summary>
public static class InferenceServices
{
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<IGeneratorFactory, LtxGeneratorFactory>();
        services.AddSingleton<IVramEstimator>(sp => new VramEstimator(sp.GetRequiredService<IModelCatalog>()));
    }
}
