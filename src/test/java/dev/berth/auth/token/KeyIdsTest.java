package dev.berth.auth.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsonwebtoken.security.Jwks;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;

class KeyIdsTest {

    private static PublicKey publicKey(String jwk) {
        return (PublicKey) Jwks.parser().build().parse(jwk).toKey();
    }

    @Test
    void derivesLibtrustKeyIdsAsTheTokenSpecShowsThem() {
        // the signing key of spec/auth/jwt.md, whose tokens carry this kid
        PublicKey key = publicKey("{\"kty\":\"EC\",\"crv\":\"P-256\","
                + "\"x\":\"m7zUpx3b-zmVE5cymSs64POG9QcyEpJaYCD82-549_Q\","
                + "\"y\":\"dU3biz8sZ_8GPB-odm8Wxz3lNDr1xcAQQPQaOcr1fmc\"}");
        assertThat(KeyIds.libtrust(key)).isEqualTo("PYYO:TEWU:V7JH:26JV:AQTZ:LJC3:SXVJ:XGHA:34F2:2LAQ:ZRMK:Z7Q6");
    }

    @Test
    void derivesRfc7638Thumbprints() {
        // RFC 7638 section 3.1
        PublicKey key = publicKey("{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\""
                + "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECP"
                + "ebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY"
                + "368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0f"
                + "M4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw\"}");
        assertThat(KeyIds.thumbprint(key)).isEqualTo("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    }
}
