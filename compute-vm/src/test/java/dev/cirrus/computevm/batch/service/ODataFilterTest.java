package dev.cirrus.computevm.batch.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The $filter subset on one task's JSON. */
class ODataFilterTest {

    private static final JsonNode TASK = JsonMapper.builder().build().readTree("""
            {"id": "t1", "state": "completed", "requiredSlots": 2,
             "executionInfo": {"exitCode": 3, "result": "failure"}}""");

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "state eq 'completed'|true",
            "state eq 'Completed'|true",
            "state ne 'completed'|false",
            "state eq 'active' or state eq 'completed'|true",
            "state eq 'completed' and executionInfo/result eq 'success'|false",
            "executionInfo/exitCode gt 2 and executionInfo/exitCode le 3|true",
            "requiredSlots lt 2|false",
            "executionInfo/missing eq null|true",
            "(state eq 'completed')|true"})
    void aFilterSelectsWhatItSays(String filter, boolean expected) {
        assertThat(ODataFilter.parse(filter).test(TASK)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"state equals 'x'", "state eq", "eq 'x'", "state eq 'unterminated"})
    void aFilterItCannotReadIsBatchsInvalidQueryParameterValue(String filter) {
        assertThatThrownBy(() -> ODataFilter.parse(filter)).isInstanceOfSatisfying(BatchError.class,
                e -> assertThat(e.code()).isEqualTo("InvalidQueryParameterValue"));
    }
}
