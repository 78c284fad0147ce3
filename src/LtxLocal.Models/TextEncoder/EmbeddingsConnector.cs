using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder;

/// <summary>
/// Embeddings1DConnector (ltx_core): padded positions replaced by learnable registers (position i takes register
/// i % count; the mask then lets every token attend everywhere), pre-norm blocks with split RoPE over positions
/// 0..T-1, and a final weightless RMS norm. Expects right-padded rows (valid tokens first).
/// </summary>
public sealed class EmbeddingsConnector : Module
{
    private readonly ModuleList<ConnectorBlock> _blocks;
    private readonly ConnectorConfig _config;

    public EmbeddingsConnector(ConnectorConfig config, ModuleOptions? options = null)
    {
        options ??= ModuleOptions.Default;
        _config = config;
        _blocks = RegisterModule("transformer_1d_blocks", new ModuleList<ConnectorBlock>(
            Enumerable.Range(0, config.Layers).Select(_ => new ConnectorBlock(config, options))));
        if (config.Registers > 0) RegisterParameter("learnable_registers", NewTensor([config.Registers, config.InnerDim], options));
    }

    /// <param name="x">[B, T, inner], valid tokens first</param>
    /// <param name="additiveMask">[B, 1, 1, T]: 0 valid, large negative pad</param>
    /// <returns>the encoded tokens [B, T, inner] and the mask the consumer should use (all zeros with registers)</returns>
    public (Tensor Encoded, Tensor Mask) Forward(Tensor x, Tensor additiveMask)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        long t = x.Size(1);
        if (_config.Registers > 0)
        {
            if (t % _config.Registers != 0)
                throw new ArgumentException($"the connector needs a sequence length divisible by {_config.Registers} registers, got {t}");
            var registers = Parameter("learnable_registers").Repeat(t / _config.Registers, 1).To(x.DType).Unsqueeze(0); // [1, T, inner]
            var valid = additiveMask.Select(1, 0).Select(1, 0).Ge(0).Unsqueeze(-1).To(x.DType);                       // [B, T, 1]
            x = valid * x + (1.0 - valid) * registers;
            additiveMask = Tensor.ZerosLike(additiveMask);
        }
        var (cos, sin) = ConnectorRope.Tables(_config, t, x.DType, x.Device);
        foreach (var block in _blocks) x = block.Forward(x, cos, sin, additiveMask);
        return (F.RmsNorm(x, null, 1e-6).MoveToOuterScope(), additiveMask.MoveToOuterScope());
    }
}
