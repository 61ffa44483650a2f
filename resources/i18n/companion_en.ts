<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ImportFlow</name>
    <message numerus="yes">
        <source>“%1” is ready, with %n lesson(s).</source>
        <translation>
            <numerusform>“%1” is ready, with %n lesson.</numerusform>
            <numerusform>“%1” is ready, with %n lessons.</numerusform>
        </translation>
    </message>
</context>
</TS>
