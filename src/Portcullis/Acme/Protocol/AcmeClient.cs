using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Portcullis.Acme.Protocol;

/// <summary>
/// An ACME client (RFC 8555) for one CA directory and one account key: account registration, orders,
/// authorizations and challenges, finalization and certificate download, plus renewal information (RFC 9773).
/// Transport details (nonces, JWS, badNonce retry, problem documents) live in AcmeClient.Transport.cs.
/// </summary>
internal sealed partial class AcmeClient : IDisposable
{
    private static readonly TimeSpan MinRenewalInfoRetry = TimeSpan.FromMinutes(1);

    private readonly AcmeClientOptions _options;
    private readonly AcmeAccountKey _key;
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private string? _nonce;
    private Uri? _accountUrl;

    private AcmeClient(AcmeClientOptions options, AcmeAccountKey key, HttpClient http, AcmeDirectory directory)
    {
        _options = options;
        _key = key;
        _http = http;
        _logger = options.Logger;
        Directory = directory;
    }

    public AcmeDirectory Directory { get; }

    /// <summary>The account URL ("kid") once <see cref="RegisterAsync"/> has run.</summary>
    public Uri? AccountUrl => _accountUrl;

    internal AcmeClientOptions Options => _options;

    internal ILogger Logger => _logger;

    /// <summary>Fetches the directory; an unreachable URL or an answer that is not an ACME directory is an <see cref="AcmeException"/> naming the URL.</summary>
    public static async Task<AcmeClient> CreateAsync(AcmeClientOptions options, AcmeAccountKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(key);
        var http = AcmeHttpClientFactory.Create(options);
        try
        {
            var directory = await FetchDirectoryAsync(http, options, cancellationToken);
            Log.DirectoryLoaded(options.Logger, options.Directory, directory.RenewalInfo is not null, directory.Meta?.ExternalAccountRequired == true);
            return new AcmeClient(options, key, http, directory);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates the account for this key, agreeing to the CA's terms (RFC 8555 §7.3), or finds the existing one: the CA
    /// answers 200 with the same account URL for a key it knows, so calling this on every start is safe.
    /// </summary>
    public async Task<AcmeAccount> RegisterAsync(IReadOnlyList<string> emails, ExternalAccountBinding? eab, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(emails);
        var newAccount = Directory.NewAccount!;
        var payload = new NewAccountPayload
        {
            TermsOfServiceAgreed = true,
            // RFC 8555 §7.3: contacts are URLs; a bare address becomes mailto:, one that already is stays as given.
            Contact = emails.Count == 0 ? null : emails.Select(ContactUrl).ToArray(),
            ExternalAccountBinding = eab is null ? null : AcmeJws.SignExternalAccountBinding(eab, _key, newAccount),
        };
        var context = eab is null && Directory.Meta?.ExternalAccountRequired == true
            ? $"ACME account registration at {newAccount} failed (the CA requires external account binding and none is configured)"
            : $"ACME account registration at {newAccount} failed";
        var response = await PostAsync(newAccount, Serialize(payload, AcmeJsonContext.Default.NewAccountPayload), useJwk: true, context, cancellationToken: cancellationToken);
        var account = Parse(response, newAccount, AcmeJsonContext.Default.AcmeAccount);
        var url = response.Location ?? throw new AcmeException($"{context}: the answer has no Location header (the account URL)");
        if (account.Status != AcmeStatus.Valid)
        {
            throw new AcmeException($"{context}: the account {url} is {account.Status}");
        }
        _accountUrl = url;
        Log.AccountReady(_logger, url, response.Status == HttpStatusCode.Created ? "created" : "existing");
        return account with { Url = url, Created = response.Status == HttpStatusCode.Created };
    }

    /// <summary>Places an order for <paramref name="hosts"/> (RFC 8555 §7.4); <paramref name="replaces"/> is the ARI certificate id of the certificate it renews (RFC 9773 §5).</summary>
    public async Task<AcmeOrder> NewOrderAsync(IReadOnlyList<string> hosts, string? replaces, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        if (hosts.Count == 0)
        {
            throw new ArgumentException("an order needs at least one host", nameof(hosts));
        }
        var newOrder = Directory.NewOrder!;
        var payload = new NewOrderPayload
        {
            Identifiers = hosts.Select(AcmeIdentifier.For).Distinct().ToArray(),
            // Only a CA that offers renewalInfo understands "replaces"; others might reject the unknown field.
            Replaces = Directory.RenewalInfo is null ? null : replaces,
        };
        var context = $"ACME order for {string.Join(", ", hosts)} failed";
        var response = await PostAsync(newOrder, Serialize(payload, AcmeJsonContext.Default.NewOrderPayload), useJwk: false, context, cancellationToken: cancellationToken);
        var url = response.Location ?? throw new AcmeException($"{context}: the answer has no Location header (the order URL)");
        var order = Parse(response, newOrder, AcmeJsonContext.Default.AcmeOrder) with { Url = url, RetryAfter = response.RetryAfter };
        Log.OrderCreated(_logger, url, hosts, order.Status);
        return order;
    }

    public async Task<AcmeOrder> GetOrderAsync(Uri url, CancellationToken cancellationToken)
    {
        var response = await PostAsGetAsync(url, $"ACME order {url} cannot be fetched", cancellationToken);
        return Parse(response, url, AcmeJsonContext.Default.AcmeOrder) with { Url = url, RetryAfter = response.RetryAfter };
    }

    public async Task<AcmeAuthorization> GetAuthorizationAsync(Uri url, CancellationToken cancellationToken)
    {
        var response = await PostAsGetAsync(url, $"ACME authorization {url} cannot be fetched", cancellationToken);
        return Parse(response, url, AcmeJsonContext.Default.AcmeAuthorization) with { Url = url, RetryAfter = response.RetryAfter };
    }

    /// <summary>Tells the CA the challenge response is in place and it may validate (RFC 8555 §7.5.1: POST "{}").</summary>
    public async Task RespondAsync(AcmeChallenge challenge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        await PostAsync(challenge.Url, Serialize(new EmptyPayload(), AcmeJsonContext.Default.EmptyPayload), useJwk: false,
            $"ACME challenge {challenge.Type} at {challenge.Url} was refused", cancellationToken: cancellationToken);
        Log.ChallengeAnswered(_logger, challenge.Type, challenge.Url);
    }

    /// <summary>
    /// Polls an authorization until it is valid. Invalid (or deactivated, expired, revoked) is an <see cref="AcmeException"/>
    /// carrying the failed challenge's problem, e.g. the connection error the CA's validator saw.
    /// </summary>
    public Task<AcmeAuthorization> WaitForAuthorizationAsync(Uri url, CancellationToken cancellationToken) =>
        PollAsync(url, "authorization", GetAuthorizationAsync, a => a.Status, a => a.RetryAfter,
            a => a.Status == AcmeStatus.Valid,
            a => a.Status is AcmeStatus.Pending or AcmeStatus.Processing,
            a => new AcmeException($"ACME authorization for {a.Identifier.Value} is {a.Status}", a.FindError()),
            cancellationToken);

    /// <summary>Polls an order until it is ready (to finalize) or valid (certificate issued); invalid carries the order's problem.</summary>
    public Task<AcmeOrder> WaitForOrderAsync(Uri url, CancellationToken cancellationToken) =>
        PollAsync(url, "order", GetOrderAsync, o => o.Status, o => o.RetryAfter,
            o => o.Status is AcmeStatus.Ready or AcmeStatus.Valid,
            o => o.Status is AcmeStatus.Pending or AcmeStatus.Processing,
            o => new AcmeException($"ACME order {o.Url} for {string.Join(", ", o.Identifiers.Select(i => i.Value))} is {o.Status}", o.Error),
            cancellationToken);

    /// <summary>Sends the CSR (RFC 8555 §7.4); the answer is usually "processing" or already "valid".</summary>
    public async Task<AcmeOrder> FinalizeAsync(AcmeOrder order, byte[] csrDer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(csrDer);
        var finalize = order.Finalize ?? throw new AcmeException($"ACME order {order.Url} has no finalize URL");
        var payload = new FinalizePayload(Base64Url.EncodeToString(csrDer));
        var response = await PostAsync(finalize, Serialize(payload, AcmeJsonContext.Default.FinalizePayload), useJwk: false,
            $"ACME finalize of order {order.Url} failed", cancellationToken: cancellationToken);
        return Parse(response, finalize, AcmeJsonContext.Default.AcmeOrder) with { Url = order.Url, RetryAfter = response.RetryAfter };
    }

    /// <summary>Downloads the issued chain (RFC 8555 §7.4.2), PEM, leaf first; checks that it is certificates and nothing else.</summary>
    public async Task<string> DownloadCertificateAsync(Uri url, CancellationToken cancellationToken)
    {
        var response = await PostAsGetAsync(url, $"ACME certificate {url} cannot be downloaded", cancellationToken, accept: "application/pem-certificate-chain");
        var pem = Encoding.ASCII.GetString(response.Body);
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(pem);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new AcmeException($"ACME certificate {url} is not a PEM certificate chain: {e.Message}", e);
        }
        if (chain.Count == 0)
        {
            throw new AcmeException($"ACME certificate {url} holds no PEM certificate");
        }
        foreach (var certificate in chain)
        {
            certificate.Dispose();
        }
        return pem;
    }

    /// <summary>
    /// Asks the CA when to renew <paramref name="leaf"/> (RFC 9773 §4). Null when the CA does not offer renewalInfo.
    /// A plain GET, not POST-as-GET: renewal information is public (§4.1).
    /// </summary>
    public async Task<RenewalWindow?> GetRenewalInfoAsync(X509Certificate2 leaf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        if (Directory.RenewalInfo is not { } baseUrl)
        {
            return null;
        }
        var url = new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/" + AriCertificateId.For(leaf));
        var context = $"ACME renewal information {url} cannot be fetched";
        var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), url, context, cancellationToken);
        ThrowIfProblem(response, url, context);
        var info = Parse(response, url, AcmeJsonContext.Default.RenewalInfoResponse);
        if (info.SuggestedWindow is not { Start: { } start, End: { } end }
            || !TryParseTime(start, out var from) || !TryParseTime(end, out var to) || to <= from)
        {
            // RFC 9773 §4.2: a window whose end does not follow its start is treated as no answer at all.
            throw new AcmeException($"{context}: the answer has no valid suggestedWindow (RFC 9773 §4.2)");
        }
        // RFC 9773 §4.3: treat Retry-After below one minute as one minute (above one day is clamped on read).
        var retryAfter = response.RetryAfter is { } wait && wait < MinRenewalInfoRetry ? MinRenewalInfoRetry : response.RetryAfter;
        Uri.TryCreate(info.ExplanationUrl, UriKind.Absolute, out var explanation);
        Log.RenewalInfo(_logger, url, from, to);
        return new RenewalWindow(from, to, explanation, retryAfter);
    }

    /// <summary>token "." thumbprint (RFC 8555 §8.1): what a challenge response must prove we know.</summary>
    public string KeyAuthorization(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        return token + "." + _key.Thumbprint;
    }

    public void Dispose() => _http.Dispose();

    private static string ContactUrl(string email)
    {
        var trimmed = email.Trim();
        return trimmed.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? trimmed : "mailto:" + trimmed;
    }

    private static bool TryParseTime(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out value);

    private static byte[] Serialize<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.SerializeToUtf8Bytes(value, type);
}
