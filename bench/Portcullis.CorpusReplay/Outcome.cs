using System.Globalization;

namespace Portcullis.CorpusReplay;

/// <summary>The result of one request to one target: the status (0 when there was no response), what happened
/// instead of a response (<c>reset</c>, <c>closed</c>, <c>timeout</c>, ...), and the verdict drawn from them.</summary>
internal readonly record struct Outcome(int Status, string? Failure)
{
    public static Outcome Response(int status) => new(status, null);

    public static Outcome NoResponse(string failure) => new(0, failure);

    public Verdict Verdict => Status switch
    {
        0 => Failure is "reset" or "closed" ? Verdict.Blocked : Verdict.Error,
        403 => Verdict.Blocked,
        < 400 => Verdict.Passed,
        < 500 => Verdict.Rejected,
        _ => Verdict.Error,
    };

    /// <summary>Blocked or rejected: the request did not reach the origin.</summary>
    public bool Stopped => Verdict is Verdict.Blocked or Verdict.Rejected;

    public override string ToString() => Status > 0 ? Status.ToString(CultureInfo.InvariantCulture) : Failure ?? "none";
}
