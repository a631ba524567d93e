using Portcullis.Waf.Rules;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Transactions;

/// <summary>What ctl actions took from this transaction: rules removed by id or tag, and targets removed from rules.</summary>
public sealed partial class Transaction
{
    private List<IdRange[]>? _removedIds;
    private List<TagMatcher>? _removedTags;
    private List<TargetRemoval>? _removedTargets;

    internal void RemoveRules(IdRange[] ranges) => (_removedIds ??= []).Add(ranges);

    internal void RemoveRulesByTag(TagMatcher tag) => (_removedTags ??= []).Add(tag);

    internal void RemoveTargets(IdRange[]? ranges, TagMatcher? tag, RuleTarget[] targets) => (_removedTargets ??= []).Add(new TargetRemoval(ranges, tag, targets));

    internal bool IsRemoved(Rule rule)
    {
        if (_removedIds is not null)
        {
            foreach (var ranges in _removedIds)
            {
                foreach (var range in ranges)
                {
                    if (range.Contains(rule.Id))
                    {
                        return true;
                    }
                }
            }
        }
        if (_removedTags is not null)
        {
            foreach (var tag in _removedTags)
            {
                if (tag.Matches(rule))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>
    /// Targets removed from <paramref name="head"/> by ctl:ruleRemoveTargetById/ByTag, or null. When one removal
    /// applies (the usual case) its own array is returned, the same object for every rule it applies to, so the
    /// values those rules select can still be collected once (<see cref="VariableStore.CollectShared"/>).
    /// </summary>
    internal RuleTarget[]? RemovedTargetsFor(Rule head, out bool shared)
    {
        shared = true;
        if (_removedTargets is null)
        {
            return null;
        }
        RuleTarget[]? result = null;
        foreach (var removal in _removedTargets)
        {
            if (removal.Applies(head))
            {
                shared = result is null;
                result = result is null ? removal.Targets : [.. result, .. removal.Targets];
            }
        }
        return result;
    }

    private sealed record TargetRemoval(IdRange[]? Ranges, TagMatcher? Tag, RuleTarget[] Targets)
    {
        public bool Applies(Rule rule)
        {
            if (Ranges is not null)
            {
                foreach (var range in Ranges)
                {
                    if (range.Contains(rule.Id))
                    {
                        return true;
                    }
                }
                return false;
            }
            return Tag!.Matches(rule);
        }
    }
}
