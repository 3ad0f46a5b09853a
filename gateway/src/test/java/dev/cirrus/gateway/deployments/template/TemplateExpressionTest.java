package dev.cirrus.gateway.deployments.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The template language, function by function, with the outputs ARM's function reference documents. */
class TemplateExpressionTest {

    private static final String SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

    private final Map<String, Object> parameters = new LinkedHashMap<>(Map.of(
            "names", List.of("b", "c", "a"),
            "count", 3L,
            "obj", Map.of("inner", Map.of("list", List.of(10L, 20L)))));

    private final TemplateContext context = new TemplateContext() {
        @Override
        public Object parameter(String name) {
            if (!parameters.containsKey(name)) {
                throw TemplateException.invalid("The template parameter '" + name + "' is not found.");
            }
            return parameters.get(name);
        }

        @Override
        public Object variable(String name) {
            throw TemplateException.invalid("The template variable '" + name + "' is not found.");
        }

        @Override
        public Map<String, Object> deployment() {
            return Map.of("name", "d1");
        }

        @Override
        public Map<String, Object> environment() {
            return Map.of("name", "AzureCloud");
        }

        @Override
        public String subscriptionId() {
            return SUBSCRIPTION;
        }

        @Override
        public Map<String, Object> resourceGroup() {
            return Map.of("name", "my-rg", "id", "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/my-rg",
                    "location", "westeurope");
        }

        @Override
        public Map<String, Object> subscription() {
            return Map.of("subscriptionId", SUBSCRIPTION);
        }

        @Override
        public Map<String, Object> tenant() {
            return Map.of("tenantId", "t");
        }

        @Override
        public Instant now() {
            return Instant.parse("2026-12-06T15:30:05Z");
        }
    };

    private Object eval(String expression) {
        return new Evaluator(context).evaluateString("[" + expression + "]");
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            concat('a', 'b', 1, true())                                      | ab1True
            format('{0}, {1}. Formatted number: {2:N0}', 'Hello', 'User', 8175133) | Hello, User. Formatted number: 8,175,133
            format('{0}-{1:D3}', 'vm', 7)                                     | vm-007
            format('{{literal}} {0}', 'x')                                    | {literal} x
            substring('one two three', 4, 3)                                 | two
            toLower('One Two')                                                | one two
            toUpper('One Two')                                                | ONE TWO
            trim('   one two  ')                                              | one two
            replace('123-123-1234', '-', '')                                  | 1231231234
            padLeft('123', 10, '0')                                           | 0000000123
            base64('one, two, three')                                         | b25lLCB0d28sIHRocmVl
            base64ToString('b25lLCB0d28sIHRocmVl')                            | one, two, three
            uri('http://contoso.org/firstpath', 'myscript.sh')                | http://contoso.org/myscript.sh
            uriComponent('http://contoso.com/resources/nested/azuredeploy.json') | http%3A%2F%2Fcontoso.com%2Fresources%2Fnested%2Fazuredeploy.json
            uriComponentToString('http%3A%2F%2Fcontoso.com%2Fa%20b')          | http://contoso.com/a b
            dataUri('Hello')                                                  | data:text/plain;charset=utf8;base64,SGVsbG8=
            dataUriToString('data:;base64,SGVsbG8sIFdvcmxkIQ==')              | Hello, World!
            string(createObject('valueA', 10, 'valueB', 'Example Text'))      | {"valueA":10,"valueB":"Example Text"}
            string(createArray('a', 'b', 'c'))                                | ["a","b","c"]
            string(5)                                                         | 5
            uniqueString('test')                                              | rbgf3xv4ufgzg
            uniqueString('hello', 'world')                                    | a7wkljktk6wne
            uniqueString('foo', 'bar', 'baz')                                 | xzi4ioaxtmth4
            uniqueString('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg') | bmg7c6xu4tw46
            uniqueString(resourceGroup().id)                                  | bmg7c6xu4tw46
            guid('a')                                                         | 3703365d-5a9f-59b4-bca7-b9681389e4c1
            guid('a', 'b', 'c')                                               | a98fa280-e03f-5afa-8d8e-92d0a9c201e8
            guid(resourceGroup().id)                                          | bb733f78-f75f-5345-b2b1-ca384ca6fcab
            utcNow()                                                          | 20261206T153005Z
            utcNow('u')                                                       | 2026-12-06 15:30:05Z
            utcNow('d')                                                       | 12/6/2026
            first('One Two')                                                  | O
            last('One Two')                                                   | o
            join(createArray('a', 'b'), ',')                                  | a,b
            resourceId('Microsoft.Compute/availabilitySets', 'as1')           | /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg/providers/Microsoft.Compute/availabilitySets/as1
            resourceId('other', 'Microsoft.Network/virtualNetworks/subnets', 'v', 's') | /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/other/providers/Microsoft.Network/virtualNetworks/v/subnets/s
            resourceId('s2', 'g2', 'Microsoft.Web/sites', 'f')                | /subscriptions/s2/resourceGroups/g2/providers/Microsoft.Web/sites/f
            subscriptionResourceId('Microsoft.Resources/resourceGroups', 'g') | /subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Resources/resourceGroups/g
            tenantResourceId('Microsoft.Management/managementGroups', 'mg')   | /providers/Microsoft.Management/managementGroups/mg
            extensionResourceId('/subscriptions/s/resourceGroups/g', 'Microsoft.Authorization/locks', 'l') | /subscriptions/s/resourceGroups/g/providers/Microsoft.Authorization/locks/l
            if(equals(1, 1), 'yes', fail('never evaluated'))                  | yes
            parameters('obj').inner.list[1]                                   | 20
            parameters('obj')['inner']['list'][0]                             | 10
            deployment().name                                                 | d1
            environment().name                                                | AzureCloud
            'it''s'                                                           | it's
            """)
    void aFunctionGivesWhatArmDocuments(String expression, String expected) {
        assertThat(String.valueOf(eval(expression))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            add(5, 3)                               | 8
            sub(7, 3)                               | 4
            mul(5, 3)                               | 15
            div(8, 3)                               | 2
            mod(7, 3)                               | 1
            int('4')                                | 4
            length('One Two Three')                 | 13
            length(createArray('a','b'))            | 2
            length(createObject('a', 1))            | 1
            indexOf('abcdef', 'CD')                 | 2
            lastIndexOf('abcdef', 'AB')             | 0
            indexOf('abcdef', 'z')                  | -1
            min(createArray(0, 3, 2, 5, 4))         | 0
            max(0, 3, 2, 5, 4)                      | 5
            """)
    void numericFunctionsGiveIntegers(String expression, String expected) {
        assertThat(eval(expression)).isEqualTo(Long.parseLong(expected));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            equals(createArray('a'), createArray('a'))          | true
            equals('a', 'A')                                    | false
            less(1, 2)                                          | true
            lessOrEquals('b', 'a')                              | false
            greater('b', 'a')                                   | true
            greaterOrEquals(3, 3)                               | true
            and(true(), true(), false())                       | false
            or(false(), true())                                 | true
            not(false())                                       | true
            bool('TRUE')                                        | true
            bool(0)                                             | false
            contains('OneTwo', 'e')                             | true
            contains('OneTwo', 'E')                             | false
            contains(createObject('One', 1), 'one')             | true
            contains(createArray('a', 'b'), 'c')                | false
            empty('')                                           | true
            empty(createObject())                               | true
            empty(createArray(1))                               | false
            startsWith('abcdef', 'AB')                          | true
            endsWith('abcdef', 'ef')                            | true
            empty(null())                                       | true
            """)
    void comparisonAndLogicalFunctionsGiveBooleans(String expression, boolean expected) {
        assertThat(eval(expression)).isEqualTo(expected);
    }

    @Test
    void arrayAndObjectFunctionsBuildCollections() {
        assertThat(eval("split('one,two;three', createArray(',', ';'))")).isEqualTo(List.of("one", "two", "three"));
        assertThat(eval("range(1, 5)")).isEqualTo(List.of(1L, 2L, 3L, 4L, 5L));
        assertThat(eval("take(createArray('a','b','c'), 2)")).isEqualTo(List.of("a", "b"));
        assertThat(eval("skip('one two', 4)")).isEqualTo("two");
        assertThat(eval("concat(createArray(1, 2), createArray(3))")).isEqualTo(List.of(1L, 2L, 3L));
        assertThat(eval("union(createArray('one','two'), createArray('two','three'))"))
                .isEqualTo(List.of("one", "two", "three"));
        assertThat(eval("union(json('{\"one\":\"a\",\"two\":\"b\",\"three\":\"c2\"}'), "
                + "json('{\"three\":\"c\",\"four\":\"d\"}'))"))
                .isEqualTo(Map.of("one", "a", "two", "b", "three", "c", "four", "d"));
        assertThat(eval("union(json('{\"a\":{\"x\":1}}'), json('{\"a\":{\"y\":2}}'))"))
                .isEqualTo(Map.of("a", Map.of("x", 1L, "y", 2L)));
        assertThat(eval("intersection(json('{\"one\":\"a\",\"two\":\"b\",\"three\":\"c\"}'), "
                + "json('{\"one\":\"a\",\"two\":\"z\",\"three\":\"c\"}'))"))
                .isEqualTo(Map.of("one", "a", "three", "c"));
        assertThat(eval("intersection(createArray('one','two','three'), createArray('two','three'))"))
                .isEqualTo(List.of("two", "three"));
        assertThat(eval("coalesce(null(), null(), 'x')")).isEqualTo("x");
        assertThat(eval("first(createArray())")).isNull();
        assertThat(eval("array('x')")).isEqualTo(List.of("x"));
        assertThat(eval("items(json('{\"b\":2,\"a\":1}'))")).isEqualTo(List.of(
                Map.of("key", "a", "value", 1L), Map.of("key", "b", "value", 2L)));
        assertThat(eval("json('{\"a\": [1, true, null]}')")).isEqualTo(Map.of("a", java.util.Arrays.asList(1L,
                true, null)));
        assertThat(eval("float('1.5')")).isEqualTo(1.5);
    }

    @Test
    void lambdaFunctionsFilterMapReduceAndSort() {
        assertThat(eval("filter(createArray(1, 5, 10), lambda('n', greater(lambdaVariables('n'), 3)))"))
                .isEqualTo(List.of(5L, 10L));
        assertThat(eval("map(parameters('names'), lambda('n', toUpper(lambdaVariables('n'))))"))
                .isEqualTo(List.of("B", "C", "A"));
        assertThat(eval("map(parameters('names'), lambda('n', 'i', concat(lambdaVariables('n'), "
                + "string(lambdaVariables('i')))))")).isEqualTo(List.of("b0", "c1", "a2"));
        assertThat(eval("reduce(createArray(5, 3, 2), 0, lambda('cur', 'next', add(lambdaVariables('cur'), "
                + "lambdaVariables('next'))))")).isEqualTo(10L);
        assertThat(eval("sort(parameters('names'), lambda('x', 'y', less(lambdaVariables('x'), "
                + "lambdaVariables('y'))))")).isEqualTo(List.of("a", "b", "c"));
        assertThat(eval("toObject(parameters('names'), lambda('n', lambdaVariables('n')), lambda('n', 1))"))
                .isEqualTo(Map.of("a", 1L, "b", 1L, "c", 1L));
        assertThat(eval("map(range(0, 2), lambda('i', map(range(0, 2), lambda('j', "
                + "mul(lambdaVariables('i'), lambdaVariables('j'))))))"))
                .isEqualTo(List.of(List.of(0L, 0L), List.of(0L, 1L)));
    }

    @Test
    void doubledBracketsAreALiteralAndPlainStringsAreLeftAlone() {
        Evaluator evaluator = new Evaluator(context);
        assertThat(evaluator.evaluateString("[[test]")).isEqualTo("[test]");
        assertThat(evaluator.evaluateString("plain [text]")).isEqualTo("plain [text]");
        assertThat(evaluator.evaluateValue(Map.of("a", List.of("[add(1, 2)]", "x"))))
                .isEqualTo(Map.of("a", List.of(3L, "x")));
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource(delimiter = '|', textBlock = """
            concat('a'                                | expected token 'RightParenthesis' and actual 'EndOfData'
            concat('a)                                | The string literal is not closed
            concat('a', )                             | expected token 'Identifier'
            parameters('names') extra                 | expected token 'EndOfData'
            noSuchFunction(1)                         | The template function 'noSuchFunction' is not valid
            substring('abc', 2, 5)                    | The index and length parameters must refer to a location within the string
            add('a', 1)                               | The template function 'add' expects its first parameter to be of type 'Integer'
            div(1, 0)                                 | attempted to divide by zero
            parameters('missing')                     | The template parameter 'missing' is not found
            parameters('obj').nothing                 | The language expression property 'nothing' doesn't exist
            parameters('names')[5]                    | is out of bounds
            toLower(1)                                | expects its first parameter to be of type 'String'
            createObject('a')                         | expects an even number of parameters
            range(0, 10001)                           | The template function 'range' expects its second parameter
            int('x')                                  | The template function 'int' expects its parameter to be an integer
            json('{')                                 | expects its parameter to be a valid JSON string
            resourceId('Microsoft.Compute/availabilitySets') | function requires exactly one multi-segmented argument
            if(1, 'a', 'b')                           | expects its first parameter to be of type 'Boolean'
            not(true(), false())                        | The template function 'not' expects exactly 1 parameter.
            uniqueString(1)                           | expects its parameters to be of type string
            format('{5}', 'a')                        | index (zero based) must be greater than or equal to zero
            lambdaVariables('x')                      | The lambda variable 'x' is not defined
            reference('x')                            | The template function 'reference' is not expected at this location
            copyIndex()                               | The template function 'copyIndex' is not expected at this location
            """)
    void badExpressionsAreRefusedAsInvalidTemplate(String expression, String message) {
        assertThatThrownBy(() -> eval(expression))
                .isInstanceOfSatisfying(TemplateException.class, refused -> {
                    assertThat(refused.code()).isEqualTo("InvalidTemplate");
                    assertThat(refused.getMessage()).contains(message);
                });
    }

    @Test
    void bareTrueIsNotALiteralInArmsLanguage() {
        assertThatThrownBy(() -> eval("not(true)")).isInstanceOf(TemplateException.class)
                .hasMessageContaining("expected token 'LeftParenthesis'");
    }

    @Test
    void anEmptyExpressionIsRefused() {
        assertThatThrownBy(() -> new Evaluator(context).evaluateString("[ ]"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("is not valid");
    }
}
