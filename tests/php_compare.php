<?php
// Prints what PHP's odbc extension sees for a few queries, to compare a direct DSN with a Cachalot one.
$connection = odbc_connect($argv[1], "", "");
$queries = [
    ["SELECT * FROM cl_items ORDER BY id", []],
    ["SELECT name, price FROM cl_items WHERE id = ?", [2]],
    ["SELECT name FROM cl_items WHERE name = ?", ["ünïcödé 😀"]],
    ["SELECT * FROM cl_no_such_table", []],
];
foreach ($queries as [$sql, $params]) {
    $statement = @odbc_prepare($connection, $sql);
    if (!$statement || !@odbc_execute($statement, $params)) {
        echo "error: ", odbc_error($connection), "\n";
        continue;
    }
    $fields = [];
    for ($i = 1; $i <= odbc_num_fields($statement); $i++)
        $fields[] = [odbc_field_name($statement, $i), odbc_field_type($statement, $i), odbc_field_len($statement, $i),
                     odbc_field_scale($statement, $i)];
    echo "fields: ", json_encode($fields), "\n";
    $rows = [];
    while ($row = odbc_fetch_array($statement)) $rows[] = $row;
    echo "rows: ", json_encode($rows, JSON_UNESCAPED_UNICODE), "\n";
}
