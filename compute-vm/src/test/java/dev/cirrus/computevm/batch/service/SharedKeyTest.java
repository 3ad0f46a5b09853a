package dev.cirrus.computevm.batch.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** Batch's string to sign, on worked examples. */
class SharedKeyTest {

    private static final String KEY = "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0wMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZg==";

    private static List<String> sign(String method, Map<String, String> headers, String path, String query) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        return SharedKey.stringsToSign(method, h::get, h.keySet(), "MyAccount", path, query);
    }

    @Test
    void aGetWithOcpDateSignsAnEmptyDateTheOcpHeadersAndTheSortedDecodedQuery() {
        List<String> s = sign("GET", Map.of("ocp-date", "Sun, 06 Dec 2026 22:00:00 GMT", "Date", "ignored",
                "client-request-id", "not signed"), "/pools", "maxresults=2&api-version=2024-07-01.20.0&%24filter=state%20eq%20'active'");
        assertThat(s.get(0)).isEqualTo("GET\n\n\n\n\n\n\n\n\n\n\n\nocp-date:Sun, 06 Dec 2026 22:00:00 GMT\n"
                + "/myaccount/pools\n$filter:state eq 'active'\napi-version:2024-07-01.20.0\nmaxresults:2");
        assertThat(s).as("no length: signed empty, or 0").hasSize(2);
    }

    @Test
    void aPostSignsItsLengthAndContentTypeAndAZeroLengthEitherWay() {
        List<String> s = sign("post", Map.of("Content-Type", "application/json; odata=minimalmetadata",
                "Content-Length", "0", "ocp-date", "d", "ocp-client-x", "  v\nw"), "/batch/acct.westeurope/jobs/j/terminate", null);
        assertThat(s.get(0)).isEqualTo("POST\n\n\n0\n\napplication/json; odata=minimalmetadata\n\n\n\n\n\n\n"
                + "ocp-client-x:v w\nocp-date:d\n/myaccount/batch/acct.westeurope/jobs/j/terminate");
        assertThat(s.get(1)).contains("\n\n\n\n\napplication/json");
    }

    @Test
    void aSignatureIsTheBase64HmacOfTheString() {
        String signature = SharedKey.sign(KEY, "GET\n");
        assertThat(signature).hasSize(44);
        assertThat(SharedKey.same(signature, SharedKey.sign(KEY, "GET\n"))).isTrue();
        assertThat(SharedKey.same(signature, SharedKey.sign(KEY, "PUT\n"))).isFalse();
    }
}
