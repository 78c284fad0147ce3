using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.Transformer;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Pipelines.Blocks;

/// <summary>
/// The distilled LoRA two-stage refinement runs with: fused into the transformer for the body, then the fused weights
/// restored from the checkpoint. Without a LoRA file the body runs on the plain transformer.
/// </summary>
public sealed class DistilledLora(string? loraFile, string transformerFile)
{
    public T Apply<T>(LtxModel transformer, Func<T> body)
    {
        if (loraFile is null) return body();
        LoraFusionReport report;
        using (var lora = LoraWeights.Open(loraFile)) report = LoraFusion.Fuse(transformer, [new LoraWithStrength(lora, 1.0)]);
        try
        {
            return body();
        }
        finally
        {
            using var file = SafetensorsFile.Open(transformerFile);
            LoraFusion.Unfuse(transformer, report, new KeyMappedSource(file, TransformerKeys.Prefix, name => !TransformerKeys.IsConnector(name)));
        }
    }
}
