using Portcullis.Incidents;

namespace Portcullis.Tests.Incidents;

public sealed class SecretNamesTests
{
    [Theory]
    [InlineData("password")]
    [InlineData("user_password")]
    [InlineData("newPassword")]
    [InlineData("PASSWD")]
    [InlineData("pwd")]
    [InlineData("pass")]
    [InlineData("client_secret")]
    [InlineData("csrftoken")]
    [InlineData("json.auth.token")]
    [InlineData("json.auth")]
    [InlineData("X-Auth-Token")]
    [InlineData("X-Api-Key")]
    [InlineData("api_key")]
    [InlineData("apikey")]
    [InlineData("AWS_ACCESS_KEY")]
    [InlineData("private-key")]
    [InlineData("session")]
    [InlineData("JSESSIONID")]
    [InlineData("PHPSESSID")]
    [InlineData("sid")]
    [InlineData("credentials")]
    [InlineData("otp")]
    [InlineData("userPin")]
    [InlineData("card[pin]")]
    public void IsSecret_SecretLookingName_True(string name) => Assert.True(SecretNames.IsSecret(name), name);

    [Theory]
    [InlineData("")]
    [InlineData("comment")]
    [InlineData("q")]
    [InlineData("author")]
    [InlineData("spinner")]
    [InlineData("passenger")]
    [InlineData("sidebar")]
    [InlineData("json.user.name")]
    [InlineData("User-Agent")]
    [InlineData("prefs")]
    public void IsSecret_OrdinaryName_False(string name) => Assert.False(SecretNames.IsSecret(name), name);

    [Theory]
    [InlineData("Authorization", true)]
    [InlineData("proxy-authorization", true)]
    [InlineData("Cookie", true)]
    [InlineData("Set-Cookie", true)]
    [InlineData("X-Api-Key", true)]
    [InlineData("Accept", false)]
    [InlineData("Referer", false)]
    public void IsSecretHeader_Name_Classified(string name, bool secret) => Assert.Equal(secret, SecretNames.IsSecretHeader(name));
}
