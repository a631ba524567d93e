namespace Portcullis.Waf.Transformations;

// TEMPORARY placeholder with the agreed API; replaced by the transformations work.
internal abstract class Transformation
{
    public abstract string Name { get; }

    public abstract string Apply(string input);
}
