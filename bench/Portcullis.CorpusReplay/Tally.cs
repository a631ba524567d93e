namespace Portcullis.CorpusReplay;

/// <summary>Counts for a group of entries on one target. <see cref="Strict"/> is the corpus README's rate (403 or
/// reset only); <see cref="Stopped"/> also counts the other 4xx (the request never reached the origin). Errors
/// count in the denominator as "not blocked", so a flaky target cannot look better than it is.</summary>
internal sealed class Tally
{
    public int Entries { get; private set; }

    public int Blocked { get; private set; }

    public int Rejected { get; private set; }

    public int Errors { get; private set; }

    public double Strict => Entries == 0 ? 0 : (double)Blocked / Entries;

    public double Stopped => Entries == 0 ? 0 : (double)(Blocked + Rejected) / Entries;

    public void Add(Outcome outcome)
    {
        Entries++;
        switch (outcome.Verdict)
        {
            case Verdict.Blocked:
                Blocked++;
                break;
            case Verdict.Rejected:
                Rejected++;
                break;
            case Verdict.Error:
                Errors++;
                break;
            case Verdict.Passed:
            default:
                break;
        }
    }
}
