using System.Globalization;
using Portcullis.Waf.Rules;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Transactions;

/// <summary>
/// One HTTP exchange going through the rules, fed phase by phase by the host: connection and request line,
/// request headers (phase 1), request body (phase 2), response headers (3), response body (4), logging (5). Each
/// phase returns an <see cref="Interruption"/> or null; after an interruption the remaining phases run nothing but
/// logging. Not thread-safe: one transaction belongs to one request.
/// </summary>
public sealed partial class Transaction
{
    private const int MaxMatchedRules = 256;

    private readonly List<MatchedRule> _matched = [];
    private readonly RequestBody _requestBody;
    private readonly ResponseBody _responseBody;
    private int _phaseDone;
    private long? _requestBodyExpected;
    private Phase? _allowedThrough;

    internal Transaction(RuleSet rules, string id, RuleEngineMode mode)
    {
        Rules = rules;
        Id = id;
        EngineMode = mode;
        RequestBodyAccess = rules.Settings.RequestBodyAccess;
        ResponseBodyAccess = rules.Settings.ResponseBodyAccess;
        _requestBody = new RequestBody(rules.Settings);
        _responseBody = new ResponseBody(rules.Settings);
        Variables.Set(VariableName.UniqueId, id);
        // ModSecurity v2 always offers REQBODY_PROCESSOR, empty when no processor applies (CRS 901340 matches the
        // empty value to force REQUEST_BODY).
        Variables.Set(VariableName.ReqbodyProcessor, "");
    }

    public string Id { get; }

    public RuleSet Rules { get; }

    /// <summary>Starts as configured; <c>ctl:ruleEngine</c> may change it mid-transaction.</summary>
    public RuleEngineMode EngineMode { get; internal set; }

    /// <summary>Whether phase 2 inspects the body (SecRequestBodyAccess, or ctl:requestBodyAccess).</summary>
    public bool RequestBodyAccess { get; internal set; }

    /// <summary>Whether phase 4 inspects the body (SecResponseBodyAccess, or ctl:responseBodyAccess).</summary>
    public bool ResponseBodyAccess { get; internal set; }

    public Interruption? Interruption { get; private set; }

    /// <summary>Every logged match so far, in order (capped at 256 per transaction).</summary>
    public IReadOnlyList<MatchedRule> MatchedRules => _matched;

    /// <summary>Regex matches that ran out of time and counted as no match.</summary>
    public int RegexTimeouts { get; private set; }

    /// <summary>Sum of <c>tx.inbound_anomaly_score</c>-style values is rule business; this is TX:name as a string.</summary>
    public string? GetTxVariable(string name) => Variables.CollectionOrNull(VariableName.Tx)?.Get(name);

    internal VariableStore Variables { get; } = new();

    private TransformationCache? _transformations;
    private LiteralHits? _literalHits;
    private LiteralHits? _responsePhraseHits;

    /// <summary>This transaction's literals found per value by one of the rule set's two scanners (rented on first
    /// use, returned after phase 5).</summary>
    internal LiteralHits LiteralHitsFor(Operators.Prefilter.LiteralScanner scanner) =>
        ReferenceEquals(scanner, Rules.Literals)
            ? _literalHits ??= LiteralHits.Rent(scanner)
            : _responsePhraseHits ??= LiteralHits.Rent(scanner);

    private CandidateRules? _candidates;

    /// <summary>The rules this transaction's values have woken (rented on first use, returned with the caches below).</summary>
    internal CandidateRules Candidates => _candidates ??= CandidateRules.Rent(Rules.Dispatch!);

    /// <summary>This transaction's transformed values (rented on first use, returned after phase 5).</summary>
    internal TransformationCache Transformations => _transformations ??= TransformationCache.Rent();

    internal bool ForceRequestBodyVariable { get; set; }

    /// <summary>Set once phase 1 has run every setup rule (<see cref="Rules.SetupFolding"/>): from then on the folded
    /// gates' answers hold.</summary>
    internal bool SetupComplete { get; set; }

    internal string AuditEngine { get; set; } = "RELEVANTONLY";

    /// <summary>Phase 0: who is talking to whom.</summary>
    public void ProcessConnection(string clientAddress, int clientPort, string serverAddress, int serverPort)
    {
        Variables.Set(VariableName.RemoteAddr, clientAddress);
        Variables.Set(VariableName.RemoteHost, clientAddress);
        Variables.Set(VariableName.RemotePort, clientPort.ToString(CultureInfo.InvariantCulture));
        Variables.Set(VariableName.ServerAddr, serverAddress);
        Variables.Set(VariableName.ServerPort, serverPort.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The request line: method, the request target exactly as received (Latin-1), protocol (<c>HTTP/1.1</c>).</summary>
    public void ProcessUri(string method, string uri, string protocol) => RequestLine.Apply(Variables, method, uri, protocol, Rules.Settings.ArgumentsLimit);

    /// <summary>Adds one request header as received (values as Latin-1 byte strings); Cookie headers also fill REQUEST_COOKIES.</summary>
    public void AddRequestHeader(string name, string value)
    {
        // The same header from the next request is then the same string object, whose scans and transformations the
        // caches keep (RepeatedValues).
        var repeated = RepeatedValues.Current;
        name = repeated.Keep(name);
        value = repeated.Keep(value);
        Variables.Collection(VariableName.RequestHeaders).Add(name, value);
        if (string.Equals(name, "Cookie", StringComparison.OrdinalIgnoreCase))
        {
            CookieParser.Parse(value, Variables.Collection(VariableName.RequestCookies));
        }
        if (string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
        {
            var colon = value.LastIndexOf(':');
            Variables.Set(VariableName.ServerName, colon > 0 && !value.EndsWith(']') ? value[..colon] : value);
        }
    }

    /// <summary>Phase 1. The body processor is chosen from Content-Type first, as ModSecurity v2 does when the
    /// transaction starts, so phase 1 rules (CRS 920400) already see REQBODY_PROCESSOR.</summary>
    public Interruption? ProcessRequestHeaders()
    {
        if (string.IsNullOrEmpty(Variables.Get(VariableName.ReqbodyProcessor))
            && RequestBody.ProcessorFor(RequestBody.Header(Variables, "Content-Type")) is { } processor)
        {
            Variables.Set(VariableName.ReqbodyProcessor, processor);
        }
        return RunPhase(Phase.RequestHeaders);
    }

    /// <summary>The largest request body the engine will buffer for inspection (SecRequestBodyLimit).</summary>
    public long RequestBodyLimit => Rules.Settings.RequestBodyLimit;

    /// <summary>Buffers request body bytes for phase 2; returns false once the body passed the limit (the rest is not kept).</summary>
    public bool AppendRequestBody(ReadOnlySpan<byte> chunk)
    {
        if (_requestBodyExpected is null && Numbers.ParseLeadingInteger(RequestBody.Header(Variables, "Content-Length")) is > 0 and var length)
        {
            _requestBodyExpected = length;
        }
        return _requestBody.Append(chunk, _requestBodyExpected);
    }

    /// <summary>Bytes of the request body buffered so far (at most <see cref="RequestBodyLimit"/>).</summary>
    public long RequestBodyLength => _requestBody.Length;

    /// <summary>
    /// The buffered request body, for a host that forwards it after inspection without keeping a second copy. Valid
    /// until the next <see cref="AppendRequestBody"/>.
    /// </summary>
    public ReadOnlyMemory<byte> BufferedRequestBody => _requestBody.Bytes;

    /// <summary>
    /// Phase 2: runs the body processor (by ctl:requestBodyProcessor or Content-Type), then the rules. A body over
    /// the limit is refused with 413 unless SecRequestBodyLimitAction is ProcessPartial.
    /// </summary>
    public Interruption? ProcessRequestBody()
    {
        if (Interruption is not null || _phaseDone >= (int)Phase.RequestBody)
        {
            return Interruption;
        }
        if (EngineMode != RuleEngineMode.Off && RequestBodyAccess)
        {
            if (_requestBody.OverLimit && !Rules.Settings.RequestBodyLimitProcessPartial && EngineMode == RuleEngineMode.On)
            {
                Interruption = new Interruption(413, 0, "deny", Phase.RequestBody);
                _phaseDone = (int)Phase.RequestBody;
                return Interruption;
            }
            _requestBody.Process(this);
        }
        var interruption = RunPhase(Phase.RequestBody);
        // The request is fully inspected. What the rules derived from it goes back to this thread's pools now, not
        // after the upstream answers: a gateway has many transactions waiting on their upstream at once, and holding
        // each one's lists, transformed values and scans until then multiplies the memory the next transaction
        // touches (measured: a GET costs 1.8x as much with 32 in flight). A later rule that selects request values
        // collects them again.
        ReleaseDerivedState();
        return interruption;
    }

    public void AddResponseHeader(string name, string value)
    {
        Variables.Collection(VariableName.ResponseHeaders).Add(name, value);
        if (string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
        {
            Variables.Set(VariableName.ResponseContentType, value);
        }
        else if (string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase))
        {
            Variables.Set(VariableName.ResponseContentLength, value);
        }
    }

    /// <summary>Phase 3.</summary>
    public Interruption? ProcessResponseHeaders(int status, string protocol)
    {
        Variables.Set(VariableName.ResponseStatus, status.ToString(CultureInfo.InvariantCulture));
        Variables.Set(VariableName.ResponseProtocol, protocol);
        Variables.Set(VariableName.StatusLine, protocol + " " + status.ToString(CultureInfo.InvariantCulture));
        return RunPhase(Phase.ResponseHeaders);
    }

    /// <summary>Whether the response body should be buffered for phase 4: access on and its MIME type listed.</summary>
    public bool WantsResponseBody =>
        ResponseBodyAccess && EngineMode != RuleEngineMode.Off && Interruption is null
        && ResponseBody.IsInspectable(Variables.Get(VariableName.ResponseContentType), Rules.Settings.ResponseBodyMimeTypes);

    /// <summary>The largest response body buffered for inspection (SecResponseBodyLimit).</summary>
    public long ResponseBodyLimit => Rules.Settings.ResponseBodyLimit;

    public bool AppendResponseBody(ReadOnlySpan<byte> chunk) => _responseBody.Append(chunk);

    /// <summary>Phase 4.</summary>
    public Interruption? ProcessResponseBody()
    {
        if (WantsResponseBody)
        {
            Variables.Set(VariableName.ResponseBody, _responseBody.Text);
        }
        return RunPhase(Phase.ResponseBody);
    }

    /// <summary>Phase 5: always runs, whatever happened before.</summary>
    public void ProcessLogging()
    {
        if (_phaseDone >= (int)Phase.Logging)
        {
            return;
        }
        _phaseDone = (int)Phase.Logging - 1;
        var interruption = Interruption;
        _allowedThrough = null;
        Interruption = null;
        RunPhase(Phase.Logging);
        Interruption = interruption;
        // No rule runs after phase 5.
        ReleaseDerivedState();
    }

    /// <summary>
    /// Gives the values collected for shared target sets, the transformed values and the literal scans back to this
    /// thread's pools. They are caches of what the transaction's collections hold: a rule that runs later builds
    /// what it needs again.
    /// </summary>
    private void ReleaseDerivedState()
    {
        Variables.ReleaseSelections();
        _transformations?.Return();
        _transformations = null;
        _literalHits?.Return();
        _literalHits = null;
        _responsePhraseHits?.Return();
        _responsePhraseHits = null;
        _candidates?.Return();
        _candidates = null;
    }

    private Interruption? RunPhase(Phase phase)
    {
        if (Interruption is not null || _phaseDone >= (int)phase)
        {
            return Interruption;
        }
        _phaseDone = (int)phase;
        if (EngineMode == RuleEngineMode.Off || (_allowedThrough is { } allowed && phase <= allowed))
        {
            return null;
        }
        Interruption = RuleEvaluator.RunPhase(this, phase);
        return Interruption;
    }

    internal void AllowThrough(Phase phase) => _allowedThrough = phase;

    internal void SetCapture(int index, string value) => Variables.Collection(VariableName.Tx).Set(CaptureNames[index], value);

    /// <summary>The TX names a capture writes (TX:0 the match, TX:1-9 the groups).</summary>
    internal static readonly string[] CaptureNames = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    internal void RecordRegexTimeout(string pattern) => RegexTimeouts++;

    internal void RecordMatch(MatchedRule match)
    {
        if (_matched.Count < MaxMatchedRules)
        {
            _matched.Add(match);
        }
    }

    /// <summary>Macro resolution: <c>%{TX.x}</c>, <c>%{MATCHED_VAR}</c>, <c>%{REQUEST_HEADERS.host}</c>, <c>%{RULE.id}</c>...</summary>
    internal string? ResolveMacro(VariableName variable, string? key)
    {
        if (variable == VariableName.Rule)
        {
            return CurrentRule is null ? null : RuleField(CurrentRule, key);
        }
        if (!VariableRegistry.IsCollection(variable))
        {
            return Variables.Get(variable);
        }
        var collection = variable switch
        {
            VariableName.Args => Variables.CollectionOrNull(VariableName.ArgsGet)?.Get(key ?? "") ?? Variables.CollectionOrNull(VariableName.ArgsPost)?.Get(key ?? ""),
            _ => Variables.CollectionOrNull(variable)?.Get(key ?? ""),
        };
        return collection;
    }

    internal Rule? CurrentRule { get; set; }

    private static string? RuleField(Rule rule, string? key) => key?.ToUpperInvariant() switch
    {
        "ID" => rule.Id.ToString(CultureInfo.InvariantCulture),
        "MSG" => rule.Message?.Text,
        "SEVERITY" => rule.Severity?.ToString(CultureInfo.InvariantCulture),
        "VER" => rule.Version,
        "PHASE" => rule.Phase.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };
}
