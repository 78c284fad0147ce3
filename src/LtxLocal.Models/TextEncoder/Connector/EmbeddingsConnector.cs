using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.Transformer;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder.Connector;

/// <summary>
/// Embeddings1DConnector (ltx_core): padded positions replaced by learnable registers (position i takes register
/// i % count; the mask then lets every token attend everywhere), pre-norm blocks with the transformer's RoPE over
/// positions 0..T-1 on one axis, and a final weightless RMS norm. Expects right-padded rows (valid tokens first).
/// </summary>
public sealed class EmbeddingsConnector : Module
{
    private readonly ModuleList<ConnectorBlock> _blocks;
    private readonly ConnectorConfig _config;
    private readonly RopeConfig _rope;
    private readonly TensorSlot? _registers;

    public EmbeddingsConnector(ConnectorConfig config, ModuleOptions? options = null)
    {
        if (config.MaxPos.Length != 1)
            throw new ModelConfigException($"connector_positional_embedding_max_pos has {config.MaxPos.Length} entries; the connector uses one axis");
        options ??= ModuleOptions.Default;
        _config = config;
        _rope = new RopeConfig(config.InnerDim, config.Theta, config.MaxPos, config.Heads, config.RopeType, config.DoublePrecisionRope);
        _blocks = RegisterModule("transformer_1d_blocks", new ModuleList<ConnectorBlock>(
            Enumerable.Range(0, config.Layers).Select(_ => new ConnectorBlock(config, options))));
        if (config.Registers > 0) _registers = AddParameter("learnable_registers", NewTensor([config.Registers, config.InnerDim], options));
    }

    /// <param name="x">[B, T, inner], valid tokens first</param>
    /// <param name="additiveMask">[B, 1, 1, T]: 0 valid, large negative pad</param>
    /// <returns>the encoded tokens [B, T, inner] and the mask the consumer should use (all zeros with registers)</returns>
    public (Tensor Encoded, Tensor Mask) Forward(Tensor x, Tensor additiveMask)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        long t = x.Size(1);
        if (_registers is not null)
        {
            if (t % _config.Registers != 0)
                throw new ArgumentException($"the connector needs a sequence length divisible by {_config.Registers} registers, got {t}");
            var registers = _registers.Value.Repeat(t / _config.Registers, 1).To(x.DType).Unsqueeze(0); // [1, T, inner]
            var valid = additiveMask.Select(1, 0).Select(1, 0).Ge(0).Unsqueeze(-1).To(x.DType);      // [B, T, 1]
            x = valid * x + (1.0 - valid) * registers;
            additiveMask = Tensor.ZerosLike(additiveMask);
        }
        var rope = Rope.Precompute(TokenPositions(t, x.Device), _rope, x.DType);
        foreach (var block in _blocks) x = block.Forward(x, rope, additiveMask);
        return (F.RmsNorm(x, null, ConnectorBlock.NormEps).MoveToOuterScope(), additiveMask.MoveToOuterScope());
    }

    // [1, 1, T, 2]: token i spans [i, i], so its midpoint is the index itself (the reference's 1-D indices grid).
    private static Tensor TokenPositions(long tokens, Device device)
    {
        var index = Tensor.Arange(0, tokens, 1, DType.Float32, device);
        return Tensor.Stack([index, index], -1).Reshape(1, 1, tokens, 2);
    }
}
