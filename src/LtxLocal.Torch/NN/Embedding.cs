namespace LtxLocal.Torch.NN;

/// <summary>A lookup table (torch.nn.Embedding): <c>weight</c> [count, dim]; ids of any shape -> [..., dim].</summary>
public sealed class Embedding : Module, IUnaryModule
{
    private readonly TensorSlot _weight;

    public Embedding(long count, long dim, ModuleOptions? options = null)
    {
        _weight = AddParameter("weight", NewTensor(new[] { count, dim }, options ?? ModuleOptions.Default));
    }

    public Tensor Weight => _weight.Value;

    public Tensor Forward(Tensor ids) => F.Embedding(ids, Weight);
}
