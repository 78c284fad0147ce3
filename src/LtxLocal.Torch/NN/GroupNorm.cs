namespace LtxLocal.Torch.NN;

/// <summary>torch.nn.GroupNorm over [B, C, ...]; optional per-channel affine.</summary>
public sealed class GroupNorm : Module, IUnaryModule
{
    private readonly TensorSlot _weight, _bias;

    public GroupNorm(long groups, long channels, double eps = 1e-5, bool affine = true, ModuleOptions? options = null)
    {
        if (channels % groups != 0) throw new ArgumentException($"{channels} channels do not split into {groups} groups");
        var o = options ?? ModuleOptions.Default;
        (Groups, Eps) = (groups, eps);
        _weight = AddParameter("weight", affine ? NewTensor(new[] { channels }, o) : null);
        _bias = AddParameter("bias", affine ? NewTensor(new[] { channels }, o) : null);
    }

    public long Groups { get; }

    public double Eps { get; }

    public Tensor Forward(Tensor input) => F.GroupNorm(input, Groups, _weight.Optional, _bias.Optional, Eps);
}
