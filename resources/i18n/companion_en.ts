<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>BellButton</name>
    <message numerus="yes">
        <source>Notifications: %n unread</source>
        <translation>
            <numerusform>Notifications: %n unread</numerusform>
            <numerusform>Notifications: %n unread</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CommentCard</name>
    <message numerus="yes">
        <source>Useful: %n</source>
        <translation>
            <numerusform>Useful: %n</numerusform>
            <numerusform>Useful: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Thanks: %n</source>
        <translation>
            <numerusform>Thanks: %n</numerusform>
            <numerusform>Thanks: %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GroupNewsCard</name>
    <message numerus="yes">
        <source>%n unfinished answers</source>
        <translation>
            <numerusform>%n unfinished answer</numerusform>
            <numerusform>%n unfinished answers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NotificationText</name>
    <message numerus="yes">
        <source>%n new replies on %1</source>
        <translation>
            <numerusform>%n new reply on %1</numerusform>
            <numerusform>%n new replies on %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new comments on %1</source>
        <translation>
            <numerusform>%n new comment on %1</numerusform>
            <numerusform>%n new comments on %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new members introduced themselves</source>
        <translation>
            <numerusform>%n new member introduced themselves</numerusform>
            <numerusform>%n new members introduced themselves</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n people found your comment useful</source>
        <translation>
            <numerusform>%n person found your comment useful</numerusform>
            <numerusform>%n people found your comment useful</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SocialController</name>
    <message numerus="yes">
        <source>Course companion: %n new</source>
        <translation>
            <numerusform>Course companion: %n new</numerusform>
            <numerusform>Course companion: %n new</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new from your group while you were busy</source>
        <translation>
            <numerusform>%n new from your group while you were busy</numerusform>
            <numerusform>%n new from your group while you were busy</numerusform>
        </translation>
    </message>
</context>
</TS>
