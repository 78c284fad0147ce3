namespace LtxLocal.Torch.NN;

/// <summary>A module with a single-tensor forward (what <see cref="Sequential"/> chains).</summary>
public interface IUnaryModule
{
    Tensor Forward(Tensor input);
}
