using LtxLocal.Inference;
using LtxLocal.Inference.Memory;
using LtxLocal.Inference.Models;
using LtxLocal.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LtxLocal.Cli.Commands;

/// <summary>The pipelines as the server's backend: model discovery from the models directory, the generator factory, the VRAM estimator.</summary>
public static class InferenceServices
{
    public static void Add(IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<IModelCatalog>(sp =>
            new ModelDirectoryCatalog(sp.GetRequiredService<IOptions<ServerOptions>>().Value.ModelsDir)));
        services.AddSingleton<IGeneratorFactory, LtxGeneratorFactory>();
        services.AddSingleton<IVramEstimator>(sp => new VramEstimator(sp.GetRequiredService<IModelCatalog>()));
    }
}
