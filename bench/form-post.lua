-- A urlencoded form POST with 10 fields, for wrk -s (bench/gateway-cpu.sh --form).
wrk.method = "POST"
wrk.body = "first_name=Jane&last_name=Doe&email=jane.doe%40example.com&phone=%2B1+555+0100&street=12+Main+Street&city=Springfield&zip=12345&country=US&newsletter=on&comment=Please+deliver+after+5pm"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
