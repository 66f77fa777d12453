<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ArchiveDisplay</name>
    <message>
        <location filename="../../reader/ui/archive_display.py" line="111"/>
        <source>Loading %s…</source>
        <extracomment>Between the two turns of the window&apos;s work on a load (see show_arrived). When the post shown before a load is shown again (see show_arrived). After a load, how long the window draws undisturbed before its background work starts.</extracomment>
        <translation>正在载入 %s…</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_display.py" line="113"/>
        <location filename="../../reader/ui/archive_display.py" line="114"/>
        <source>Loading…</source>
        <translation>正在载入…</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_display.py" line="120"/>
        <source>%v of %m files</source>
        <translation>%v / %m 个文件</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_display.py" line="126"/>
        <location filename="../../reader/ui/archive_display.py" line="130"/>
        <source>This folder cannot be read</source>
        <translation>无法读取此文件夹</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_display.py" line="127"/>
        <source>No archive is open.</source>
        <translation>没有打开的文章库。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_display.py" line="131"/>
        <source>The current archive stays open.</source>
        <translation>当前文章库保持打开。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_display.py" line="188"/>
        <location filename="../../reader/ui/archive_display.py" line="244"/>
        <source>No posts in this folder</source>
        <translation>此文件夹中没有文章</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_display.py" line="189"/>
        <source>%s holds no posts Reader can show. The current archive stays open.</source>
        <translation>%s 中没有 Reader 能显示的文章。当前文章库保持打开。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_display.py" line="191"/>
        <source>No posts in %s</source>
        <translation>%s 中没有文章</translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/archive_display.py" line="234"/>
        <source>Loaded %n posts</source>
        <translation>
            <numerusform>已载入 %n 篇文章</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/archive_display.py" line="236"/>
        <source>%n problems (see posts marked ⚠)</source>
        <translation>
            <numerusform>%n 个问题（见标有 ⚠ 的文章）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/archive_display.py" line="238"/>
        <source>Updated from disk: %n posts</source>
        <translation>
            <numerusform>已从磁盘更新：%n 篇文章</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_display.py" line="246"/>
        <source>Reader found no posts in %s. Posts are files in _posts/ named YYYY-MM-DD-title.md, or text files with front matter and a date.</source>
        <translation>Reader 在 %s 中没有找到文章。文章是 _posts/ 中名为 YYYY-MM-DD-标题.md 的文件，或带有头信息和日期的文本文件。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_display.py" line="251"/>
        <source>No posts in this archive.</source>
        <translation>此文章库中没有文章。</translation>
    </message>
</context>
<context>
    <name>ArchiveUpdates</name>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="34"/>
        <source>This archive&apos;s folder is not a git work tree: there is nothing to update.</source>
        <translation>此存档的文件夹不是 git 工作区：没有可更新的内容。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="37"/>
        <source>This archive&apos;s git work tree has no remote: there is nowhere to update from.</source>
        <translation>此存档的 git 工作区没有远程仓库：无处可以更新。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="40"/>
        <source>This work tree is on no branch: switch to a branch with git to update it.</source>
        <translation>此工作区不在任何分支上：请先用 git 切换到一个分支再更新。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="43"/>
        <source>Files of this archive were changed here, and updating could overwrite them: nothing was done. Commit or undo those changes with git first.</source>
        <translation>此存档的文件在本地被修改过，更新可能会覆盖它们：未做任何改动。请先用 git 提交或撤销这些修改。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="48"/>
        <source>This archive has commits of its own that the remote does not have. Reader only fast-forwards: nothing was changed.</source>
        <translation>此存档有远程仓库没有的本地提交。Reader 只做快进更新：未做任何改动。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="53"/>
        <source>This archive&apos;s history and the remote&apos;s have diverged. Reader only fast-forwards: nothing was changed.</source>
        <translation>此存档的历史与远程仓库的历史已经分叉。Reader 只做快进更新：未做任何改动。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="58"/>
        <source>The remote cannot be reached: there is no network, or its address is wrong.</source>
        <translation>无法连接远程仓库：没有网络，或地址有误。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="61"/>
        <source>The remote cannot be reached: it is down or refuses the connection.</source>
        <translation>无法连接远程仓库：它已停止服务或拒绝连接。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="64"/>
        <source>There is no git repository at this address.</source>
        <translation>此地址没有 git 仓库。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="65"/>
        <source>The remote asks to sign in, and Reader does not sign in: use a public address.</source>
        <translation>远程仓库要求登录，而 Reader 不会登录：请使用公开地址。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="68"/>
        <source>That folder already exists and is not empty: choose a new folder.</source>
        <translation>该文件夹已存在且不为空：请选择一个新文件夹。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="71"/>
        <source>Stopped: nothing was changed.</source>
        <translation>已停止：未做任何改动。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="72"/>
        <source>Git could not do it.</source>
        <translation>Git 无法完成此操作。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="148"/>
        <source>Updating the archive…</source>
        <translation>正在更新存档…</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="156"/>
        <source>Wait for the update or download running now to end.</source>
        <translation>请等待正在进行的更新或下载结束。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="171"/>
        <source>Getting the archive…</source>
        <translation>正在获取存档…</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="180"/>
        <source>Update Automatically</source>
        <translation>自动更新</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="182"/>
        <source>Update the archive from its git remote every N minutes while Reader is open (0: never):</source>
        <translation>Reader 打开期间，每隔 N 分钟从 git 远程仓库更新存档（0：从不）：</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="214"/>
        <source>Updating</source>
        <translation>正在更新</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="214"/>
        <source>Getting the archive</source>
        <translation>正在获取存档</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="217"/>
        <source>%1: %2 of %3 objects, %4 at %5/s</source>
        <translation>%1：%2 / %3 个对象，%4，速度 %5/秒</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="226"/>
        <source>%1: resolving %2 of %3 deltas</source>
        <translation>%1：正在解析增量 %2 / %3</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="233"/>
        <source>%1: writing %2 of %3 files</source>
        <translation>%1：正在写入文件 %2 / %3</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="248"/>
        <source>The archive is up to date.</source>
        <translation>存档已是最新。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/archive_updates.py" line="250"/>
        <source>%n new posts</source>
        <translation>
            <numerusform>%n 篇新文章</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/archive_updates.py" line="250"/>
        <source>%n moved</source>
        <translation>
            <numerusform>%n 篇已移动</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="251"/>
        <source>Archive updated: %1</source>
        <translation>存档已更新：%1</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="257"/>
        <source>Archive saved in %1</source>
        <translation>存档已保存到 %1</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="263"/>
        <source>Archive not updated</source>
        <translation>存档未更新</translation>
    </message>
    <message>
        <location filename="../../reader/ui/archive_updates.py" line="263"/>
        <source>Archive not downloaded</source>
        <translation>存档未下载</translation>
    </message>
</context>
<context>
    <name>CloneDialog</name>
    <message>
        <location filename="../../reader/ui/clone_dialog.py" line="32"/>
        <source>Get Archive</source>
        <translation>获取存档</translation>
    </message>
    <message>
        <location filename="../../reader/ui/clone_dialog.py" line="37"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../reader/ui/clone_dialog.py" line="43"/>
        <source>Whole history (much larger; the last state is enough to read)</source>
        <translation>完整历史（大得多；阅读只需最新状态）</translation>
    </message>
    <message>
        <location filename="../../reader/ui/clone_dialog.py" line="51"/>
        <source>Git address:</source>
        <translation>Git 地址：</translation>
    </message>
    <message>
        <location filename="../../reader/ui/clone_dialog.py" line="52"/>
        <source>New folder:</source>
        <translation>新文件夹：</translation>
    </message>
    <message>
        <location filename="../../reader/ui/clone_dialog.py" line="73"/>
        <source>New Folder for the Archive</source>
        <translation>存档的新文件夹</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <location filename="../../reader/ui/find_bar.py" line="17"/>
        <location filename="../../reader/ui/find_bar.py" line="18"/>
        <source>Find in this post</source>
        <translation>在这篇文章中查找</translation>
    </message>
    <message>
        <location filename="../../reader/ui/find_bar.py" line="23"/>
        <source>Previous match (Shift+Enter)</source>
        <translation>上一个匹配（Shift+Enter）</translation>
    </message>
    <message>
        <location filename="../../reader/ui/find_bar.py" line="26"/>
        <source>Next match (Enter)</source>
        <translation>下一个匹配（Enter）</translation>
    </message>
    <message>
        <location filename="../../reader/ui/find_bar.py" line="29"/>
        <source>Close (Esc)</source>
        <translation>关闭（Esc）</translation>
    </message>
</context>
<context>
    <name>FindInPost</name>
    <message numerus="yes">
        <location filename="../../reader/ui/find_in_post.py" line="40"/>
        <source>%n matches</source>
        <translation>
            <numerusform>%n 个匹配</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImageActions</name>
    <message numerus="yes">
        <location filename="../../reader/ui/image_actions.py" line="82"/>
        <source>%n images available offline</source>
        <translation>
            <numerusform>%n 张图片可离线阅读</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/image_actions.py" line="84"/>
        <source>%n could not be fetched</source>
        <translation>
            <numerusform>%n 张无法获取</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ListPane</name>
    <message>
        <location filename="../../reader/ui/post_list.py" line="59"/>
        <source>Post list message</source>
        <translation>文章列表提示</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../reader/ui/main_window.py" line="229"/>
        <source>Not following changes on disk: %s</source>
        <translation>未能跟踪磁盘上的变化：%s</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="132"/>
        <source>Welcome to Reader</source>
        <translation>欢迎使用 Reader</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="132"/>
        <source>Open a folder of posts with File → Open Folder… (Ctrl+O).</source>
        <translation>用“文件 → 打开文件夹…”（Ctrl+O）打开一个文章文件夹。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="232"/>
        <source>Search index unavailable: %s</source>
        <translation>搜索索引不可用：%s</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="179"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="201"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/view_menus.py" line="38"/>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/view_menus.py" line="34"/>
        <location filename="../../reader/ui/view_menus.py" line="45"/>
        <source>&amp;System</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/view_menus.py" line="35"/>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/view_menus.py" line="36"/>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/view_menus.py" line="49"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/view_menus.py" line="46"/>
        <source>English</source>
        <translation>English</translation>
    </message>
    <message>
        <location filename="../../reader/ui/view_menus.py" line="47"/>
        <source>简体中文</source>
        <translation>简体中文</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="42"/>
        <source>&amp;Open Folder…</source>
        <translation>打开文件夹(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="43"/>
        <source>&amp;Reload</source>
        <translation>重新载入(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="46"/>
        <source>&amp;Update Archive</source>
        <translation>更新存档(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="51"/>
        <source>&amp;Get Archive…</source>
        <translation>获取存档(&amp;G)…</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="54"/>
        <source>Stop Updating or Getting the Archive</source>
        <translation>停止更新或获取存档</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="61"/>
        <source>Update Au&amp;tomatically…</source>
        <translation>自动更新(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="64"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="66"/>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="69"/>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="72"/>
        <source>&amp;Actual Size</source>
        <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="74"/>
        <source>Reading &amp;Font…</source>
        <translation>阅读字体(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="75"/>
        <source>&amp;Next Post</source>
        <translation>下一篇(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="77"/>
        <source>&amp;Previous Post</source>
        <translation>上一篇(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="80"/>
        <source>Next &amp;Unread Post</source>
        <translation>下一篇未读(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="84"/>
        <source>Scroll Down or Next Unread</source>
        <translation>向下翻页或下一篇未读</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="89"/>
        <source>Toggle &amp;Read</source>
        <translation>切换已读(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="93"/>
        <source>Mark as &amp;Unread</source>
        <translation>标为未读(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="99"/>
        <source>Toggle &amp;Star</source>
        <translation>切换星标(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="103"/>
        <source>Mark &amp;All in This View as Read</source>
        <translation>将此视图全部标为已读(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="109"/>
        <source>&amp;Open Original in Browser</source>
        <translation>在浏览器中打开原文(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="113"/>
        <source>&amp;Search</source>
        <translation>搜索(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="116"/>
        <source>&amp;Find in Post / Search</source>
        <translation>在文章中查找 / 搜索(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="122"/>
        <source>Copy Post &amp;Text</source>
        <translation>复制文章文字(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="128"/>
        <source>Copy Post &amp;Link</source>
        <translation>复制文章链接(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="134"/>
        <source>Next &amp;Match</source>
        <translation>下一个匹配(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="141"/>
        <source>Previous Match</source>
        <translation>上一个匹配</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="148"/>
        <source>Load &amp;Remote Images</source>
        <translation>载入远程图片(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="153"/>
        <source>Make Available &amp;Offline</source>
        <translation>离线保存图片(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="157"/>
        <source>Stop Fetching Images</source>
        <translation>停止获取图片</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="161"/>
        <source>Clear &amp;Image Cache</source>
        <translation>清除图片缓存(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="162"/>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="165"/>
        <source>&amp;Export as PDF…</source>
        <translation>导出为 PDF(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="169"/>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="170"/>
        <source>&amp;About Reader</source>
        <translation>关于 Reader(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="205"/>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="219"/>
        <source>&amp;Post</source>
        <translation>文章(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/actions.py" line="231"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="285"/>
        <source>Open Folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="367"/>
        <location filename="../../reader/ui/main_window.py" line="369"/>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <location filename="../../reader/ui/main_window.py" line="397"/>
        <source>The interface language changes the next time Reader starts.</source>
        <translation>界面语言将在下次启动 Reader 时生效。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/offline_images.py" line="40"/>
        <source>Looking for images…</source>
        <translation>正在查找图片…</translation>
    </message>
    <message>
        <location filename="../../reader/ui/offline_images.py" line="56"/>
        <source>Images for offline reading: %1 of %2</source>
        <translation>离线图片：%1 / %2</translation>
    </message>
    <message>
        <location filename="../../reader/ui/offline_images.py" line="52"/>
        <source>Image cache cleared.</source>
        <translation>图片缓存已清除。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/appearance.py" line="66"/>
        <source>Reading Font</source>
        <extracomment>Text size steps either way from the usual size (each 10 % of it).</extracomment>
        <translation>阅读字体</translation>
    </message>
    <message>
        <location filename="../../reader/ui/dialogs.py" line="37"/>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../../reader/ui/dialogs.py" line="40"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../reader/ui/dialogs.py" line="40"/>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <location filename="../../reader/ui/dialogs.py" line="64"/>
        <source>About Reader</source>
        <translation>关于 Reader</translation>
    </message>
    <message>
        <location filename="../../reader/ui/dialogs.py" line="65"/>
        <source>Reader %s
Read archives of Jekyll-style posts offline.</source>
        <translation>Reader %s
离线阅读 Jekyll 风格的文章库。</translation>
    </message>
</context>
<context>
    <name>MarksActions</name>
    <message>
        <location filename="../../reader/ui/marks_actions.py" line="74"/>
        <source>Mark all as read</source>
        <extracomment>Marking every post of a node read asks first above this many posts. How often marks made by another Reader window on the same archive are picked up (ms).</extracomment>
        <translation>全部标为已读</translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/marks_actions.py" line="75"/>
        <source>Mark all %n posts in this view as read?</source>
        <translation>
            <numerusform>将此视图中的 %n 篇文章全部标为已读？</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NavModel</name>
    <message>
        <location filename="../../reader/ui/nav_model.py" line="128"/>
        <source>All posts</source>
        <extracomment>Below one post in this many read (or unread), counts come from those posts alone. Swaps read and unread flags.</extracomment>
        <translation>全部文章</translation>
    </message>
    <message>
        <location filename="../../reader/ui/nav_model.py" line="129"/>
        <source>Unread</source>
        <translation>未读</translation>
    </message>
    <message>
        <location filename="../../reader/ui/nav_model.py" line="130"/>
        <source>Starred</source>
        <translation>已加星标</translation>
    </message>
    <message>
        <location filename="../../reader/ui/nav_model.py" line="134"/>
        <source>Categories</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../reader/ui/nav_model.py" line="135"/>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../reader/ui/nav_model.py" line="145"/>
        <source>Archive</source>
        <translation>归档</translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/nav_model.py" line="350"/>
        <source>%n unread</source>
        <translation>
            <numerusform>%n 篇未读</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/nav_model.py" line="350"/>
        <source>%n posts</source>
        <translation>
            <numerusform>%n 篇文章</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../reader/ui/nav_model.py" line="355"/>
        <source>%1, %2 unread of %3</source>
        <translation>%1，%3 篇中 %2 篇未读</translation>
    </message>
</context>
<context>
    <name>NavTree</name>
    <message>
        <location filename="../../reader/ui/nav_tree.py" line="20"/>
        <source>Categories, tags and archive</source>
        <translation>分类、标签与归档</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <location filename="../../reader/ui/navigation.py" line="91"/>
        <source>Choose a category, tag or month in %s.</source>
        <translation>请在“%s”中选择一个分类、标签或月份。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/navigation.py" line="93"/>
        <source>No posts in %s.</source>
        <translation>“%s”中没有文章。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/navigation.py" line="94"/>
        <source>Nothing to show here.</source>
        <translation>这里没有可显示的内容。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/navigation.py" line="105"/>
        <source>%n posts. Select one to read it, or press N for the next unread.</source>
        <translation>
            <numerusform>%n 篇文章。选择一篇阅读，或按 N 转到下一篇未读。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/navigation.py" line="116"/>
        <source>%n posts match “%1”. Select one to read it.</source>
        <translation>
            <numerusform>%n 篇文章匹配“%1”。选择一篇阅读。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../reader/ui/navigation.py" line="118"/>
        <source>No posts match “%1”.</source>
        <translation>没有文章匹配“%1”。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/navigation.py" line="217"/>
        <source>No unread posts.</source>
        <translation>没有未读文章。</translation>
    </message>
</context>
<context>
    <name>PostCounts</name>
    <message numerus="yes">
        <location filename="../../reader/ui/post_counts.py" line="45"/>
        <source>%n matches of %1 posts</source>
        <translation>
            <numerusform>%1 篇文章中有 %n 个匹配</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../reader/ui/post_counts.py" line="50"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location filename="../../reader/ui/post_counts.py" line="47"/>
        <source>%1 posts · %2 unread</source>
        <translation>%1 篇文章 · %2 篇未读</translation>
    </message>
</context>
<context>
    <name>PostLinks</name>
    <message>
        <location filename="../../reader/ui/post_links.py" line="46"/>
        <source>No category named %s in this archive.</source>
        <translation>此文章库中没有名为 %s 的分类。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/post_links.py" line="48"/>
        <source>No tag named %s in this archive.</source>
        <translation>此文章库中没有名为 %s 的标签。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/post_links.py" line="54"/>
        <source>This link is not followed: %s</source>
        <translation>不会打开此链接：%s</translation>
    </message>
    <message>
        <location filename="../../reader/ui/post_links.py" line="61"/>
        <source>This post names no original address.</source>
        <translation>这篇文章没有注明原文地址。</translation>
    </message>
</context>
<context>
    <name>PostList</name>
    <message>
        <location filename="../../reader/ui/post_list.py" line="27"/>
        <source>Posts</source>
        <translation>文章</translation>
    </message>
</context>
<context>
    <name>PostPrinting</name>
    <message>
        <location filename="../../reader/ui/printing.py" line="31"/>
        <source>Export as PDF</source>
        <translation>导出为 PDF</translation>
    </message>
    <message>
        <location filename="../../reader/ui/printing.py" line="31"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/printing.py" line="41"/>
        <source>Saved %s</source>
        <translation>已保存 %s</translation>
    </message>
    <message>
        <location filename="../../reader/ui/printing.py" line="41"/>
        <source>Could not write %s</source>
        <translation>无法写入 %s</translation>
    </message>
</context>
<context>
    <name>PostTableModel</name>
    <message>
        <location filename="../../reader/ui/post_model.py" line="87"/>
        <source>Title</source>
        <extracomment>Posts handled per idle slice while working out the title order (a few ms each).</extracomment>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../reader/ui/post_model.py" line="87"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../reader/ui/post_model.py" line="87"/>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../reader/ui/post_model.py" line="297"/>
        <source>(untitled)</source>
        <translation>（无标题）</translation>
    </message>
    <message>
        <location filename="../../reader/ui/post_model.py" line="326"/>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../reader/ui/post_model.py" line="326"/>
        <source>Unpublished</source>
        <translation>未发布</translation>
    </message>
</context>
<context>
    <name>RecentMenu</name>
    <message>
        <location filename="../../reader/ui/recent_menu.py" line="20"/>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../reader/ui/recent_menu.py" line="28"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../../reader/ui/recent_menu.py" line="32"/>
        <source>%s (missing)</source>
        <translation>%s（已不存在）</translation>
    </message>
</context>
<context>
    <name>SavingStatus</name>
    <message>
        <location filename="../../reader/ui/saving_status.py" line="25"/>
        <source>Read marks cannot be saved now (%s). They are kept for this session and saved when possible.</source>
        <translation>目前无法保存已读标记（%s）。本次会话中的标记会保留，并在可以保存时写入。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/saving_status.py" line="33"/>
        <source>The session (window, panes, post shown) cannot be saved now (%s). It is kept and saved when possible.</source>
        <translation>目前无法保存会话（窗口、窗格、所显示的文章）（%s）。会话会保留，并在可以保存时写入。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/saving_status.py" line="42"/>
        <source>⚠ Marks not saved</source>
        <translation>⚠ 标记未保存</translation>
    </message>
    <message>
        <location filename="../../reader/ui/saving_status.py" line="42"/>
        <source>⚠ Session not saved</source>
        <translation>⚠ 会话未保存</translation>
    </message>
</context>
<context>
    <name>SavingWatch</name>
    <message>
        <location filename="../../reader/ui/saving_watch.py" line="52"/>
        <source>Read marks and session saved again.</source>
        <extracomment>Marks or the session lost: the text, and whether the window is closing (asked before it goes) or not (a notice that does not block).</extracomment>
        <translation>已读标记和会话已重新保存。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/saving_watch.py" line="64"/>
        <source>%n read marks made in this session could not be saved (%s).</source>
        <translation>
            <numerusform>本次会话中的 %n 个已读标记无法保存（%s）。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../reader/ui/saving_watch.py" line="71"/>
        <source>The session (window, panes, post shown) could not be saved (%s).</source>
        <translation>无法保存会话（窗口、窗格、所显示的文章）（%s）。</translation>
    </message>
</context>
<context>
    <name>SearchBar</name>
    <message>
        <location filename="../../reader/ui/search_bar.py" line="24"/>
        <source>Search titles and text (/ or Ctrl+F)</source>
        <translation>搜索标题和正文（/ 或 Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../../reader/ui/search_bar.py" line="26"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../../reader/ui/search_bar.py" line="29"/>
        <source>Matches</source>
        <translation>匹配数</translation>
    </message>
</context>
<context>
    <name>SearchResults</name>
    <message>
        <location filename="../../reader/ui/search_results.py" line="59"/>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/search_results.py" line="74"/>
        <source>%n matches</source>
        <translation>
            <numerusform>%n 个匹配</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../reader/ui/search_results.py" line="75"/>
        <source>indexing…</source>
        <translation>正在建立索引…</translation>
    </message>
    <message>
        <location filename="../../reader/ui/search_results.py" line="81"/>
        <source>No matches for “%1” in %2.</source>
        <translation>在“%2”中没有找到“%1”。</translation>
    </message>
    <message>
        <location filename="../../reader/ui/search_results.py" line="92"/>
        <source>Indexing for search… %1 of %2</source>
        <translation>正在建立搜索索引… %1 / %2</translation>
    </message>
</context>
<context>
    <name>Viewer</name>
    <message>
        <location filename="../../reader/ui/viewer.py" line="144"/>
        <source>Post</source>
        <extracomment>The longest line, in CJK characters (Chinese typography: 35-45). SVG is not among them: Qt&apos;s SVG reader fetches the files a drawing names (``&lt;image href=&quot;/etc/…&quot;&gt;``) on its own, from memory too, so no answer of the viewer&apos;s could contain it. An SVG image shows as its alt text. A post file up to this size is rendered and shown at once, on the UI thread: the news archive&apos;s posts run to about 10 KB (its sample post, 9.6 KB, shows and paints in 16 ms at once, against 19 ms and a &quot;Preparing&quot; flash in parts); 16 KB of dense text took 40-60 ms on a busy machine, too near a stall. A bigger one is rendered by a worker thread (:mod:`reader.ui.post_renderer`) and shown a part per turn. A post file up to this size is shown whole, a part per turn; a bigger one shows its first FIRST_PARTS parts and a &quot;Show the rest&quot; link: a reader of a news archive reads the start of an odd 50 MB post, and all of it takes ~20 times its size in memory and a minute. Parts of a big post shown before the link: ~64,000 characters, 80 screens of Chinese. The pause between two parts of a post: input and painting go first. The most memory one image may take decoded (128 MiB: about 32 megapixels). What shows for an image that cannot be shown (refused, missing, broken, not yet fetched): the mark Qt itself draws, from Qt&apos;s own resources. Never &quot;nothing&quot;: Qt would then load the image&apos;s name as a file. What Viewer.warm_up shows: a post with the parts real ones have, in Chinese and Latin.</extracomment>
        <translation>文章</translation>
    </message>
    <message>
        <location filename="../../reader/ui/viewer.py" line="282"/>
        <source>(untitled)</source>
        <translation>（无标题）</translation>
    </message>
    <message>
        <location filename="../../reader/ui/viewer.py" line="283"/>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../reader/ui/viewer.py" line="284"/>
        <source>unpublished</source>
        <translation>未发布</translation>
    </message>
    <message>
        <location filename="../../reader/ui/viewer.py" line="285"/>
        <source>Problems with this file</source>
        <translation>此文件的问题</translation>
    </message>
    <message>
        <location filename="../../reader/ui/viewer.py" line="375"/>
        <source>This file cannot be read now:</source>
        <translation>现在无法读取此文件：</translation>
    </message>
    <message>
        <location filename="../../reader/ui/viewer.py" line="391"/>
        <source>Preparing this post…</source>
        <translation>正在准备这篇文章…</translation>
    </message>
    <message>
        <location filename="../../reader/ui/viewer.py" line="347"/>
        <location filename="../../reader/ui/viewer.py" line="438"/>
        <source>This part of the post cannot be shown:</source>
        <translation>文章的这一部分无法显示：</translation>
    </message>
    <message>
        <location filename="../../reader/ui/viewer.py" line="467"/>
        <source>Show the rest of this post (%1)</source>
        <translation>显示这篇文章的其余部分（%1）</translation>
    </message>
    <message>
        <location filename="../../reader/ui/viewer.py" line="537"/>
        <source>The rest of this post (%1) is not shown.</source>
        <translation>这篇文章的其余部分（%1）未显示。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../reader/ui/viewer.py" line="355"/>
        <location filename="../../reader/ui/viewer.py" line="451"/>
        <source>Show %n remote image(s) of this post</source>
        <translation>
            <numerusform>显示本文的 %n 张远程图片</numerusform>
        </translation>
    </message>
</context>
</TS>
