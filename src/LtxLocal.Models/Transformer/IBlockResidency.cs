namespace LtxLocal.Models.Transformer;

/// <summary>Told around each transformer block of a forward (see <see cref="LtxModel.Residency"/>): weights streamed in for it and out after.</summary>
public interface IBlockResidency
{
    void Enter(int block);

    void Leave(int block);
}
