using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// The Gemma 4 text tower of the LTX-2.5 encoder (HF Gemma4UnifiedTextModel, called through Gemma4UnifiedModel): the
/// shared tower with plain-weight norms, a head size per layer kind, layer scalars and Gemma 4 attention.
/// </summary>
public sealed class Gemma4TextModel(Gemma4Config config, ModuleOptions? options = null)
    : GemmaTextTower(config.Tower, (i, o) => new Gemma4Attention(config, i, o), options)
{
    public Gemma4Config Config => config;
}
